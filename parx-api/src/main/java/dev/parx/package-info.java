/**
 * Run work in parallel without blocking the caller.
 *
 * <p>Users implement {@link dev.parx.Task} once and choose at deployment time how isolated it runs:
 * on a thread of this JVM ({@code parx-threads}), as an OS process ({@code parx-process}), in a
 * reused child JVM ({@code parx-ipc}), or on a cluster ({@code parx-hazelcast}). Every implementation of {@link dev.parx.Pool} passes the
 * same contract suite ({@code parx-testkit}), so a task behaves the same wherever it runs.
 *
 * <pre>{@code
 * try (Pool pool = ThreadPool.builder().name("hash").workers(4).build()) {
 *     TaskHandle<String> handle = pool.submit(Sha256Task.class, "hello");
 *     handle.onProgress((fraction, message) -> System.out.println(fraction + " " + message));
 *     String digest = handle.join();
 * }
 * }</pre>
 *
 * <h2>Exceptions: one rule</h2>
 * <ul>
 *   <li>Methods whose job is to wait declare {@link InterruptedException}, as the JDK's do:
 *       {@link dev.parx.Channel#send}, {@link dev.parx.Channel#receive}, {@link dev.parx.Channel#poll},
 *       {@link dev.parx.TaskContext#receive}, {@code awaitTermination}, {@code SharedBuffer.waitFor}.
 *   <li>Methods that wait as a side effect ({@link dev.parx.TaskHandle#join()}, a command's
 *       {@code exec()}, a {@code submit} that blocks on a full queue) restore the thread's interrupt
 *       flag and throw the unchecked {@link dev.parx.WaitInterruptedException}.
 *   <li>Every other failure is an unchecked {@link dev.parx.ParxException} subclass: a task's own
 *       failure is a {@link dev.parx.TaskFailedException}, a worker that died under it a
 *       {@link dev.parx.WorkerCrashedException}, a timeout a {@link dev.parx.TaskTimeoutException},
 *       a refused submit a {@link dev.parx.RejectedTaskException}; each module adds its own
 *       (commands, files, the child-JVM protocol) under the same base. Bad arguments are
 *       {@link IllegalArgumentException}s and {@link NullPointerException}s that name the argument.
 * </ul>
 */
package dev.parx;
