package dev.parx;

import java.io.Serial;

/** The root of every exception parx throws. Unchecked. */
public class ParxException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message what happened
     */
    public ParxException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a cause.
     *
     * @param message what happened
     * @param cause the underlying failure, or null
     */
    public ParxException(String message, Throwable cause) {
        super(message, cause);
    }
}
