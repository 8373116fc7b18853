/**
 * The ring buffers, waiter tables and file helpers behind the public types of
 * {@code dev.parx.threads}. Not exported: free to change in any release.
 */
package dev.parx.threads.internal;
