package dev.parx.json;

import java.io.Serial;
import java.util.Objects;

/**
 * A cause of a failure that was thrown in another JVM, whose class need not exist in this one: its
 * {@link #toString()} and stack are those of the remote exception. {@link TaskCodec#decodeFailure}
 * attaches a task's remote causes to its {@link dev.parx.TaskFailedException} as one suppressed
 * chain of these, outermost first.
 */
public final class RemoteCause extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The remote exception's class name. */
    private final String className;

    /**
     * Creates a remote cause.
     *
     * @param className the remote exception's class name
     * @param message its message, or null
     * @param stack its stack
     * @param cause the next remote cause, or null
     */
    public RemoteCause(String className, String message, StackTraceElement[] stack, RemoteCause cause) {
        super(message, cause, false, true);
        this.className = Objects.requireNonNull(className, "className");
        setStackTrace(stack);
    }

    /**
     * Returns the remote exception's class name.
     *
     * @return the class name
     */
    public String className() {
        return className;
    }

    @Override
    public String toString() {
        String message = getMessage();
        return message == null ? className : className + ": " + message;
    }
}
