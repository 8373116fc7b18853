package dev.parx;

import java.io.Serial;

/** A pool refused a task: its queue was full, or it was shut down. */
public class RejectedTaskException extends ParxException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** Why a task was rejected. */
    public enum Reason {
        /** The queue held {@code maxQueue} tasks and the pool rejects when full. */
        QUEUE_FULL,
        /** The pool was shut down. */
        SHUT_DOWN
    }

    /** Why the task was rejected. */
    private final Reason reason;

    /**
     * Creates the exception.
     *
     * @param reason why the task was rejected
     * @param message a message that names the pool and the limit
     */
    public RejectedTaskException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /**
     * Returns why the task was rejected.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }
}
