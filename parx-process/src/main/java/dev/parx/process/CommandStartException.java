package dev.parx.process;

import dev.parx.ParxException;
import java.io.Serial;
import java.util.List;

/**
 * A command could not be started: its program does not exist, is a directory or is not
 * executable, its working directory is missing, an argument cannot be passed in the charset of
 * this JVM's locale, or the operating system refused to start it. The message says which. Nothing
 * was left running.
 */
@SuppressWarnings("serial") // the list is an immutable copy, which is serializable
public class CommandStartException extends ParxException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The program and its arguments. */
    private final List<String> command;

    /**
     * Creates the exception.
     *
     * @param command the program and its arguments
     * @param reason what is wrong, such as {@code "program 'gti' not found on PATH"}
     * @param cause the underlying failure, or null
     */
    public CommandStartException(List<String> command, String reason, Throwable cause) {
        super("cannot start command " + command + ": " + reason, cause);
        this.command = List.copyOf(command);
    }

    /**
     * Returns the program and its arguments.
     *
     * @return the command
     */
    public List<String> command() {
        return command;
    }
}
