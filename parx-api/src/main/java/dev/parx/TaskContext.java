package dev.parx;

import java.time.Duration;
import java.util.concurrent.CancellationException;

/**
 * What a running {@link Task} sees of its submitter: cancellation, progress, and messages in both
 * directions.
 *
 * <p>A context belongs to one run of one task. Its methods are meant to be called from the thread
 * that runs the task; {@link #isCancelled()} may be called from any thread.
 * Progress and messages reach the {@link TaskHandle}'s listeners in the order the task sent them,
 * and all of them are delivered before the handle completes.
 */
public interface TaskContext {

    /**
     * Returns the id of the submitted task, the same as {@link TaskHandle#id()}.
     *
     * @return the task id
     */
    String taskId();

    /**
     * Returns the name of the worker running this task, such as {@code parx-images-3}.
     *
     * @return the worker id
     */
    String workerId();

    /**
     * Returns whether the task was cancelled, timed out, or its pool was shut down with
     * {@link Pool#shutdownNow()}. Once true, stays true.
     *
     * @return true if the task should stop
     */
    boolean isCancelled();

    /**
     * Throws if the task was cancelled; a convenient check inside loops.
     *
     * @throws CancellationException if {@link #isCancelled()} is true
     */
    void checkCancelled();

    /**
     * Reports progress to the handle's {@link ProgressListener}s.
     *
     * @param fraction how much is done, from 0.0 to 1.0
     * @param message a short description of the current step; may be empty, not null
     * @throws IllegalArgumentException if {@code fraction} is not within [0, 1]
     * @throws NullPointerException if {@code message} is null
     */
    void progress(double fraction, String message);

    /**
     * Sends a message to the submitter, where it reaches the handle's
     * {@link TaskHandle#onMessage message listeners} (Node's {@code parentPort.postMessage}).
     * Messages are values: a pool may copy them.
     *
     * @param message the message, not null
     * @throws NullPointerException if {@code message} is null
     */
    void emit(Object message);

    /**
     * Waits for the next message that the submitter {@link TaskHandle#send sent} to this task.
     *
     * @param type the expected type of the message
     * @param timeout how long to wait at most
     * @param <T> the message type
     * @return the message, or {@code null} if none arrived within the timeout
     * @throws InterruptedException if the waiting thread is interrupted, which is how a pool of
     *     threads signals cancellation
     * @throws ClassCastException if the next message is not a {@code T}
     */
    <T> T receive(Class<T> type, Duration timeout) throws InterruptedException;
}
