package dev.parx.process;

import java.nio.charset.Charset;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What a finished command left: its exit code, its captured output, how long it ran and which
 * process it was. Immutable and thread-safe.
 *
 * <p>Output that was not {@link Output#capture() captured} (streamed to callbacks, discarded or
 * merged into stdout) is empty here.
 */
public final class CommandResult {

    private final List<String> command;
    private final long pid;
    private final int exitCode;
    private final byte[] stdout;
    private final String stderr;
    private final Charset charset;
    private final Duration duration;
    private volatile String stdoutText;

    /**
     * Creates a result.
     *
     * @param command the program and its arguments
     * @param pid the process id
     * @param exitCode the exit code
     * @param stdout the captured stdout bytes; not copied, never modified afterwards
     * @param stderr the captured stderr, decoded
     * @param charset the charset that decodes stdout
     * @param duration the run time
     */
    public CommandResult(List<String> command, long pid, int exitCode, byte[] stdout, String stderr,
            Charset charset, Duration duration) {
        this.command = List.copyOf(command);
        this.pid = pid;
        this.exitCode = exitCode;
        this.stdout = Objects.requireNonNull(stdout, "stdout");
        this.stderr = Objects.requireNonNull(stderr, "stderr");
        this.charset = Objects.requireNonNull(charset, "charset");
        this.duration = Objects.requireNonNull(duration, "duration");
    }

    /**
     * Returns the program and its arguments, as given to {@link Command} (every stage, joined by
     * {@code |}, for a pipeline).
     *
     * @return the command
     */
    public List<String> command() {
        return command;
    }

    /**
     * Returns the process id (of the last stage, for a pipeline).
     *
     * @return the pid
     */
    public long pid() {
        return pid;
    }

    /**
     * Returns the exit code; a command ended by signal {@code n} has code {@code 128 + n}.
     *
     * @return the exit code
     */
    public int exitCode() {
        return exitCode;
    }

    /**
     * Returns the captured stdout, decoded with the command's charset.
     *
     * @return the text
     */
    public String stdout() {
        String text = stdoutText;
        if (text == null) {
            text = new String(stdout, charset);
            stdoutText = text;
        }
        return text;
    }

    /**
     * Returns the captured stdout as bytes, for binary output.
     *
     * @return a copy of the bytes
     */
    public byte[] stdoutBytes() {
        return stdout.clone();
    }

    /**
     * Returns the captured stderr, decoded with the command's charset.
     *
     * @return the text
     */
    public String stderr() {
        return stderr;
    }

    /**
     * Returns how long the command ran, from start until it exited and its output was read.
     *
     * @return the duration
     */
    public Duration duration() {
        return duration;
    }

    /**
     * Returns the captured stdout split into lines, without terminators and without a trailing
     * empty line.
     *
     * @return the lines
     */
    public List<String> stdoutLines() {
        return stdout().lines().toList();
    }

    /**
     * Returns the captured stdout without trailing whitespace, the usual way to read a one-line
     * answer such as {@code git rev-parse HEAD}.
     *
     * @return the trimmed output
     */
    public String stdoutTrimmed() {
        return stdout().stripTrailing();
    }

    @Override
    public String toString() {
        return "CommandResult[" + command + ", pid=" + pid + ", exitCode=" + exitCode + ", stdout="
                + stdout.length + " bytes, stderr=" + stderr.length() + " chars, " + duration.toMillis() + " ms]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CommandResult that && pid == that.pid && exitCode == that.exitCode
                && command.equals(that.command) && Arrays.equals(stdout, that.stdout) && stderr.equals(that.stderr)
                && duration.equals(that.duration);
    }

    @Override
    public int hashCode() {
        return Objects.hash(command, pid, exitCode, Arrays.hashCode(stdout), stderr, duration);
    }
}
