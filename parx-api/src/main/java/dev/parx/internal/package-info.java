/**
 * Parts shared by the parx implementation modules. Not an API: exported to parx modules only, and
 * free to change in any release.
 */
package dev.parx.internal;
