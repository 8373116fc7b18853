/**
 * The implementation of parx-threads: the pool engine, the off-heap rings and the helpers behind
 * {@code SharedBuffer}. Not exported: free to change in any release.
 */
package dev.parx.threads.internal;
