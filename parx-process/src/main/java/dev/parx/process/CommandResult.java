package dev.parx.process;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a finished command left: its exit code, its captured output, how long it ran and which
 * process it was. Immutable.
 *
 * <p>Output that was not {@link Output#capture() captured} (streamed to callbacks, discarded or
 * merged into stdout) is the empty string here.
 *
 * @param command the program and its arguments, as given to {@link Command}
 * @param pid the process id of the command (of the last stage, for a pipeline)
 * @param exitCode the exit code; a command ended by signal {@code n} has code {@code 128 + n}
 * @param stdout the captured stdout, decoded with the command's charset
 * @param stderr the captured stderr, decoded with the command's charset
 * @param duration from start until the command exited and its output was read
 */
public record CommandResult(List<String> command, long pid, int exitCode, String stdout, String stderr,
        Duration duration) {

    /**
     * Checks and copies the components.
     *
     * @param command the program and its arguments
     * @param pid the process id
     * @param exitCode the exit code
     * @param stdout the captured stdout, not null
     * @param stderr the captured stderr, not null
     * @param duration the run time, not null
     */
    public CommandResult {
        command = List.copyOf(command);
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        Objects.requireNonNull(duration, "duration");
    }

    /**
     * Returns the captured stdout split into lines, without terminators and without a trailing
     * empty line.
     *
     * @return the lines
     */
    public List<String> stdoutLines() {
        return stdout.isEmpty() ? List.of() : stdout.lines().toList();
    }

    /**
     * Returns the captured stdout without trailing whitespace, the usual way to read a one-line
     * answer such as {@code git rev-parse HEAD}.
     *
     * @return the trimmed output
     */
    public String stdoutTrimmed() {
        return stdout.stripTrailing();
    }
}
