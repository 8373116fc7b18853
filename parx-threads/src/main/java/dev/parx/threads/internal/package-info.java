/** The implementation of parx-threads. Not exported: free to change in any release. */
package dev.parx.threads.internal;
