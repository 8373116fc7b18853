package dev.parx;

import java.io.Serial;

/** A {@link Channel} was closed: nothing more may be sent, and nothing is left to receive. */
public class ChannelClosedException extends ParxException {

    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which channel, and what was attempted
     */
    public ChannelClosedException(String message) {
        super(message);
    }
}
