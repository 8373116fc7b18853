/**
 * The standard contract tasks: small, stateless {@link dev.parx.Task}s with inputs and outputs
 * that survive a JSON round trip, so that every kind of pool can run them.
 */
package dev.parx.testkit.tasks;
