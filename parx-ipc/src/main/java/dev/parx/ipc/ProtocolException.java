package dev.parx.ipc;

import dev.parx.ParxException;

/**
 * A frame on a child JVM's wire was wrong: malformed JSON, an unknown type, an oversized line, a
 * protocol version that does not match. The message says what was wrong and quotes the start of the
 * frame. The worker that sent it is replaced.
 */
public final class ProtocolException extends ParxException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was wrong, with the start of the frame
     */
    public ProtocolException(String message) {
        super(message);
    }
}
