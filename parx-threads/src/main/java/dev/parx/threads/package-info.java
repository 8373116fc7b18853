/**
 * Tasks on threads of this JVM, the analog of Node's {@code worker_threads}: {@link
 * dev.parx.threads.ThreadPool}. Inputs and outputs are passed by reference, never copied.
 */
package dev.parx.threads;
