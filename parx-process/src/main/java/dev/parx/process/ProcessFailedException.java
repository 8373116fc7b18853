package dev.parx.process;

import dev.parx.ParxException;
import java.io.Serial;
import java.util.List;

/** A command exited with a code it was not allowed to exit with. */
@SuppressWarnings("serial") // the lists are immutable copies, which are serializable
public class ProcessFailedException extends ParxException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The program and its arguments. */
    private final List<String> command;
    /** The exit code. */
    private final int exitCode;
    /** The last lines of stderr. */
    private final List<String> stderrTail;

    /**
     * Creates the exception.
     *
     * @param command the program and its arguments
     * @param exitCode the exit code
     * @param stderrTail the last lines of the command's stderr, oldest first
     */
    public ProcessFailedException(List<String> command, int exitCode, List<String> stderrTail) {
        super("command " + command + " exited with code " + exitCode
                + (stderrTail.isEmpty() ? "" : "; last stderr lines:\n  " + String.join("\n  ", stderrTail)));
        this.command = List.copyOf(command);
        this.exitCode = exitCode;
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
     * Returns the exit code.
     *
     * @return the exit code
     */
    public int exitCode() {
        return exitCode;
    }

    /**
     * Returns the last lines of the command's stderr.
     *
     * @return the lines, oldest first
     */
    public List<String> stderrTail() {
        return stderrTail;
    }
}
