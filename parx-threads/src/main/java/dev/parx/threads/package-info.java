/**
 * Tasks on threads of this JVM, the analog of Node's {@code worker_threads}: {@link
 * dev.parx.threads.ThreadPool}. Inputs and outputs are passed by reference, never copied.
 *
 * <p>Data shared with those threads can live off-heap, the analog of {@code MessageChannel} and
 * {@code SharedArrayBuffer}: {@link dev.parx.threads.OffHeapChannel} is a bounded ring of
 * variable-length messages in native memory ({@code spsc} for one sender thread, {@code mpsc} for
 * many); {@link dev.parx.threads.SharedBuffer} is a block of native memory, or of a memory-mapped
 * file, that threads (and, when mapped, other JVMs) read and write in place, with atomics and
 * {@code waitFor}/{@code notify} in the manner of JavaScript's {@code Atomics}.
 */
package dev.parx.threads;
