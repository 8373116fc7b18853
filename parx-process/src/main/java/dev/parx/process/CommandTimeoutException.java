package dev.parx.process;

import dev.parx.ParxException;
import java.io.Serial;
import java.time.Duration;
import java.util.List;

/** A command ran longer than its {@link Command#timeout(Duration) timeout}; its process tree was killed. */
@SuppressWarnings("serial") // the lists are immutable copies, which are serializable
public class CommandTimeoutException extends ParxException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The program and its arguments. */
    private final List<String> command;
    /** The timeout that passed. */
    private final Duration timeout;
    /** The last lines of stderr. */
    private final List<String> stderrTail;

    /**
     * Creates the exception.
     *
     * @param command the program and its arguments
     * @param timeout the timeout that passed
     * @param stderrTail the last lines of the command's stderr, oldest first
     */
    public CommandTimeoutException(List<String> command, Duration timeout, List<String> stderrTail) {
        super("command " + command + " timed out after " + timeout.toMillis() + " ms; its process tree was killed"
                + (stderrTail.isEmpty() ? "" : "; last stderr lines:\n  " + String.join("\n  ", stderrTail)));
        this.command = List.copyOf(command);
        this.timeout = timeout;
        this.stderrTail = List.copyOf(stderrTail);
    }

    /**
     * Returns the program and its arguments.
     *
     * @return the command
     */
    public List<String> command() {
        return command;
    }

    /**
     * Returns the timeout that passed.
     *
     * @return the timeout
     */
    public Duration timeout() {
        return timeout;
    }

    /**
     * Returns the last lines the command wrote to stderr before it was killed.
     *
     * @return the lines, oldest first
     */
    public List<String> stderrTail() {
        return stderrTail;
    }
}
