package dev.parx.process.internal;

import dev.parx.process.Output;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The settings of one command. Copied on every change and never modified once a
 * {@code Command} holds it, so it is safely shared between threads.
 */
public final class Spec implements Cloneable {

    /** The default limit of captured output per stream: 1 MiB, like Node's {@code maxBuffer}. */
    public static final long DEFAULT_MAX_OUTPUT = 1L << 20;
    /** The default time between the polite signal and the forced one. */
    public static final Duration DEFAULT_KILL_GRACE = Duration.ofSeconds(2);

    /** The program and its arguments, as the user gave them. */
    public List<String> command;
    /** The working directory, or null for this JVM's. */
    public Path directory;
    /** Whether the environment starts as a copy of this JVM's. */
    public boolean inheritEnv = true;
    /** Changes to the environment in order; a null value removes the variable. */
    public Map<String, String> envChanges = new LinkedHashMap<>();
    /** Stdin, or null for the mode's default (empty for exec, a pipe for spawn). */
    public Input stdin;
    /** The timeout, or null for none. */
    public Duration timeout;
    /** The grace between SIGTERM and SIGKILL. */
    public Duration killGrace = DEFAULT_KILL_GRACE;
    /** The charset of text in and out. */
    public Charset charset = Encodings.text();
    /** Allowed exit codes, or null for any. */
    public Set<Integer> allowedExitCodes = Set.of(0);
    /** Whether stderr is merged into stdout. */
    public boolean mergeStderr;
    /** The most bytes captured per stream. */
    public long maxOutput = DEFAULT_MAX_OUTPUT;
    /** Where stdout goes. */
    public Output stdout = Output.capture();
    /** Where stderr goes. */
    public Output stderr = Output.capture();
    /** Whether the command may outlive this JVM. */
    public boolean detached;

    /**
     * Creates the settings of a command with defaults.
     *
     * @param command the program and its arguments
     */
    public Spec(List<String> command) {
        this.command = List.copyOf(command);
    }

    /**
     * Returns a copy to change.
     *
     * @return the copy
     */
    public Spec copy() {
        try {
            Spec copy = (Spec) super.clone();
            copy.envChanges = new LinkedHashMap<>(envChanges);
            return copy;
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Returns whether an exit code counts as success.
     *
     * @param code the exit code
     * @return true if allowed
     */
    public boolean allows(int code) {
        return allowedExitCodes == null || allowedExitCodes.contains(code);
    }

}
