/**
 * Run work in parallel without blocking the caller.
 *
 * <p>Users implement {@link dev.parx.Task} once and choose at deployment time how isolated it runs:
 * on a thread of this JVM ({@code parx-threads}), as an OS process ({@code parx-process}), or in a
 * reused child JVM ({@code parx-ipc}). Every implementation of {@link dev.parx.Pool} passes the
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
 * <p>All exceptions are unchecked and extend {@link dev.parx.ParxException}.
 */
package dev.parx;
