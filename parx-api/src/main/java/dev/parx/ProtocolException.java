package dev.parx;

import java.io.Serial;

/** A peer broke the wire protocol: a malformed, unexpected or oversized frame. */
public class ProtocolException extends ParxException {

    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was wrong, with the offending data (shortened)
     * @param cause the underlying failure, or null
     */
    public ProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
