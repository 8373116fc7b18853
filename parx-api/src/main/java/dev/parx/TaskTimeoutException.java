package dev.parx;

import java.io.Serial;
import java.time.Duration;

/** A task ran longer than its timeout; the task was cancelled and its worker freed. */
public class TaskTimeoutException extends ParxException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The task id. */
    private final String taskId;
    /** The timeout that passed. */
    private final Duration timeout;

    /**
     * Creates the exception.
     *
     * @param taskId the task's id
     * @param timeout the timeout that passed
     */
    public TaskTimeoutException(String taskId, Duration timeout) {
        super("task " + taskId + " timed out after " + timeout.toMillis() + " ms");
        this.taskId = taskId;
        this.timeout = timeout;
    }

    /**
     * Returns the task's id.
     *
     * @return the id
     */
    public String taskId() {
        return taskId;
    }

    /**
     * Returns the timeout that passed.
     *
     * @return the timeout
     */
    public Duration timeout() {
        return timeout;
    }
}
