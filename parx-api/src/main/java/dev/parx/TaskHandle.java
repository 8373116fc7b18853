package dev.parx;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * The submitter's side of one submitted task: its outcome, its progress and messages, and a way to
 * talk to it.
 *
 * <p>A handle completes exactly once: with the task's output, or exceptionally with a
 * {@link TaskFailedException}, {@link TaskTimeoutException} or {@link WorkerCrashedException}, or
 * as cancelled. {@link #get()} wraps those exceptions in an {@link ExecutionException} as
 * {@link Future} requires; {@link #join()} throws them as they are.
 *
 * <p>All progress and messages that the task sent before it returned are delivered to the
 * registered listeners before the handle completes. Progress and messages sent before the first
 * listener of their kind is registered are kept and delivered to that listener when it registers.
 * Listeners are called one at a time per handle, in the order the task sent the events.
 *
 * <p>{@link #cancel(boolean) Cancelling} a queued task removes it: it never runs. Cancelling a
 * running task completes the handle as cancelled at once and asks the task to stop: its
 * {@link TaskContext#isCancelled()} becomes true and, on threads, the worker thread is interrupted;
 * processes and child JVMs are killed.
 *
 * <p>All methods are safe to call from any thread.
 *
 * @param <O> the output type
 */
public interface TaskHandle<O> extends Future<O> {

    /**
     * Returns the id of this task, unique within its pool.
     *
     * @return the task id
     */
    String id();

    /**
     * Waits for the task and returns its output, throwing the parx exception as it is.
     *
     * @return the output
     * @throws TaskFailedException if the task threw
     * @throws TaskTimeoutException if the task ran out of time
     * @throws WorkerCrashedException if the worker died while running the task
     * @throws java.util.concurrent.CancellationException if the task was cancelled
     * @throws WaitInterruptedException if the waiting thread is interrupted; its interrupt status
     *     is set again
     */
    O join();

    /**
     * Returns a future that completes with this handle's outcome. Cancelling that future cancels
     * the task; completing it by other means does not affect the task.
     *
     * @return a new future tied to this handle
     */
    CompletableFuture<O> toCompletableFuture();

    /**
     * Adds a listener for the task's progress reports.
     *
     * @param listener the listener
     * @return this handle
     */
    TaskHandle<O> onProgress(ProgressListener listener);

    /**
     * Adds a listener for the messages the task {@link TaskContext#emit emits}.
     *
     * @param listener the listener
     * @return this handle
     */
    TaskHandle<O> onMessage(Consumer<Object> listener);

    /**
     * Sends a message to the task, which reads it with {@link TaskContext#receive}. Messages
     * arrive in the order they were sent. Messages sent to a queued task wait until it runs;
     * messages sent after the handle completed are dropped.
     *
     * @param message the message, not null; a pool may copy it
     * @throws NullPointerException if {@code message} is null
     */
    void send(Object message);
}
