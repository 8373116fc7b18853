package dev.parx;

import java.time.Duration;

/**
 * Runs {@link Task}s on workers without blocking the caller.
 *
 * <p>A pool is safe for use by any number of threads. {@code submit} queues the task and returns
 * at once (or blocks while the queue is full, if the pool was built with
 * {@link FullQueuePolicy#BLOCK}); a worker runs it later. Actions of the submitting thread before
 * {@code submit} happen-before the task runs; the task's actions happen-before its handle
 * completes.
 *
 * <p>A pool never runs more tasks at once than it has workers. A task that fails, times out or
 * (for pools of processes) kills its worker fails alone: the pool replaces the worker and keeps
 * running the other tasks.
 *
 * <pre>{@code
 * try (Pool pool = ThreadPool.builder().workers(4).build()) {
 *     List<TaskHandle<Long>> handles = chunks.stream()
 *             .map(chunk -> pool.submit(CountPrimes.class, chunk))
 *             .toList();
 *     long total = handles.stream().mapToLong(TaskHandle::join).sum();
 * }   // close() waits for queued work, then stops the workers
 * }</pre>
 */
public interface Pool extends AutoCloseable {

    /**
     * Submits a task with default options.
     *
     * @param task the task class, instantiated by the pool
     * @param input the task's input
     * @param <I> the input type
     * @param <O> the output type
     * @return the handle of the submitted task
     * @throws RejectedTaskException if the queue is full or the pool is shut down
     * @throws IllegalArgumentException if the task class cannot be instantiated by the pool
     */
    default <I, O> TaskHandle<O> submit(Class<? extends Task<I, O>> task, I input) {
        return submit(task, input, TaskOptions.defaults());
    }

    /**
     * Submits a task.
     *
     * @param task the task class, instantiated by the pool
     * @param input the task's input
     * @param options per-task options such as a timeout
     * @param <I> the input type
     * @param <O> the output type
     * @return the handle of the submitted task
     * @throws RejectedTaskException if the queue is full (and the pool rejects when full) or the
     *     pool is shut down
     * @throws WaitInterruptedException if the pool blocks on a full queue and the submitting
     *     thread is interrupted while it waits; its interrupt status is set again
     * @throws IllegalArgumentException if the task class cannot be instantiated by the pool
     */
    <I, O> TaskHandle<O> submit(Class<? extends Task<I, O>> task, I input, TaskOptions options);

    /**
     * Returns a consistent snapshot of the pool's counters.
     *
     * @return the current statistics
     */
    PoolStats stats();

    /**
     * Stops accepting tasks, lets every queued and running task finish, then stops the workers,
     * and waits until all of that is done. Idempotent. If the calling thread is interrupted while
     * waiting, the pool is {@link #shutdownNow() shut down now} and the interrupt status is kept.
     */
    @Override
    void close();

    /**
     * Stops accepting tasks, cancels every queued task and cancels every running one, then stops
     * the workers. Does not wait: use {@link #awaitTermination(Duration)}. Idempotent.
     */
    void shutdownNow();

    /**
     * Returns whether the pool no longer accepts tasks.
     *
     * @return true after {@link #close()} or {@link #shutdownNow()} was called
     */
    boolean isShutdown();

    /**
     * Returns whether the pool is shut down and all its workers have stopped.
     *
     * @return true if the pool is terminated
     */
    boolean isTerminated();

    /**
     * Waits until the pool is terminated.
     *
     * @param timeout the longest time to wait
     * @return true if the pool terminated, false if the timeout passed first
     * @throws InterruptedException if interrupted while waiting
     */
    boolean awaitTermination(Duration timeout) throws InterruptedException;
}
