package dev.parx;

import java.io.Serial;

/**
 * The thread was interrupted while it waited as part of a call whose job is not to wait:
 * {@link TaskHandle#join()}, a {@link Pool#submit} that blocks on a full queue, a command's
 * {@code exec()}. The thread's interrupt status is set again before this is thrown, and the
 * {@link InterruptedException} is the cause. Methods whose job is to wait declare
 * {@code InterruptedException} instead, as the JDK's do.
 */
public class WaitInterruptedException extends ParxException {

    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what the thread was waiting for
     * @param cause the interrupt
     */
    public WaitInterruptedException(String message, InterruptedException cause) {
        super(message, cause);
    }
}
