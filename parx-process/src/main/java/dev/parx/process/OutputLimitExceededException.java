package dev.parx.process;

import dev.parx.ParxException;
import java.io.Serial;
import java.util.List;

/** A command wrote more output than its limit allows; the process tree was killed. */
@SuppressWarnings("serial") // the lists are immutable copies, which are serializable
public class OutputLimitExceededException extends ParxException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The program and its arguments. */
    private final List<String> command;
    /** The output limit in bytes. */
    private final long limitBytes;

    /**
     * Creates the exception.
     *
     * @param command the program and its arguments
     * @param limitBytes the limit that was passed
     */
    public OutputLimitExceededException(List<String> command, long limitBytes) {
        super("command " + command + " wrote more than " + limitBytes + " bytes of output; it was killed");
        this.command = List.copyOf(command);
        this.limitBytes = limitBytes;
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
     * Returns the limit that was passed, in bytes.
     *
     * @return the limit
     */
    public long limitBytes() {
        return limitBytes;
    }
}
