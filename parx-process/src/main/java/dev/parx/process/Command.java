package dev.parx.process;

import dev.parx.process.internal.Execution;
import dev.parx.process.internal.Input;
import dev.parx.process.internal.Spec;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * An operating-system command: a program, its arguments and how to run it. Immutable and
 * thread-safe: every {@code with}-style method returns a new command, so one command can be run
 * any number of times from any number of threads.
 *
 * <p>Arguments are passed to the program as they are, never through a shell: {@code "; rm -rf /"}
 * is one harmless argument. Use {@link #shell(String)} only when you need shell syntax.
 *
 * <p>What parx guarantees for every run:
 * <ul>
 *   <li>stdout and stderr are always read, so the command never blocks on a full pipe, and what is
 *       kept in memory is bounded by {@link #maxOutput(long)};</li>
 *   <li>a timeout, a cancel or {@link RunningCommand#kill()} ends the command's whole process
 *       tree, including processes a shell put in the background: each command runs in a process
 *       group of its own;</li>
 *   <li>a run completes once its processes exited and their output was read: parx reads stdout and
 *       stderr until they close or, after the exit, until nothing arrives on them for 100 ms. So a
 *       process the command left in the background that still holds them (as {@code sleep 30 &}
 *       does) does not delay the run; it keeps running, as a shell's background job does, and
 *       what it writes later is not read;</li>
 *   <li>no command outlives this JVM, even after {@code kill -9}: a guardian process ends what is
 *       left when the JVM exits, unless the command is {@link #detached()}.</li>
 * </ul>
 *
 * <p>The guardian is a small second JVM started from this runtime's own {@code bin/java}; it needs
 * no program on {@code PATH}. Where it cannot start (a runtime without {@code bin/java}, such as a
 * {@code jlink} image made with {@code --strip-native-commands}), a command that is not
 * {@link #detached()} fails with a {@link CommandStartException} that says so. Starting the JVM with
 * {@code -Dparx.process.unprotected=true} lets such commands run anyway, unprotected, with one
 * warning logged: so a command that starts without that property is protected.
 *
 * <pre>{@code
 * String head = Command.of("git", "rev-parse", "HEAD")
 *         .directory(repo)
 *         .timeout(Duration.ofSeconds(10))
 *         .exec()
 *         .stdoutTrimmed();
 *
 * long javaFiles = Long.parseLong(Command.pipe(
 *         Command.of("find", ".", "-name", "*.java"),
 *         Command.of("wc", "-l")).exec().stdoutTrimmed());
 * }</pre>
 */
public final class Command {

    private final Spec spec;

    private Command(Spec spec) {
        this.spec = spec;
    }

    /**
     * Creates a command that runs a program with arguments, without a shell.
     *
     * @param program a program name, looked up on {@code PATH}, or a path to it
     * @param args the arguments, passed verbatim
     * @return the command
     */
    public static Command of(String program, String... args) {
        Objects.requireNonNull(program, "program");
        List<String> command = new ArrayList<>(args.length + 1);
        command.add(program);
        command.addAll(Arrays.asList(args));
        return of(command);
    }

    /**
     * Creates a command from a program and its arguments as one list, without a shell.
     *
     * @param command the program followed by its arguments, not empty, no nulls
     * @return the command
     * @throws IllegalArgumentException if the list is empty
     */
    public static Command of(List<String> command) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("a command needs at least a program");
        }
        return new Command(new Spec(command));
    }

    /**
     * Creates a command that runs a script with {@code /bin/sh -c}.
     *
     * <p><b>Injection risk:</b> the shell interprets the whole string. Never build it from input
     * you do not control: a file name such as {@code x; rm -rf ~} runs the second command. Pass
     * such values with {@link #of(String, String...)}, or to the script as positional parameters:
     * {@code Command.of("sh", "-c", "grep -c \"$1\" log", "sh", userText)}.
     *
     * @param script the shell script
     * @return the command
     */
    public static Command shell(String script) {
        Objects.requireNonNull(script, "script");
        return of("/bin/sh", "-c", script);
    }

    /**
     * Connects commands into a pipeline, as a shell's {@code a | b | c}: each command's stdout is
     * the next one's stdin.
     *
     * @param first the first command
     * @param second the second command
     * @param more further commands
     * @return the pipeline
     */
    public static Pipeline pipe(Command first, Command second, Command... more) {
        List<Command> stages = new ArrayList<>();
        stages.add(Objects.requireNonNull(first, "first"));
        stages.add(Objects.requireNonNull(second, "second"));
        stages.addAll(Arrays.asList(more));
        return new Pipeline(stages);
    }

    /**
     * Returns the program and its arguments.
     *
     * @return an immutable list
     */
    public List<String> command() {
        return spec.command;
    }

    /**
     * Sets the working directory; by default it is this JVM's.
     *
     * @param directory an existing directory (checked when the command starts)
     * @return a new command
     */
    public Command directory(Path directory) {
        Objects.requireNonNull(directory, "directory");
        return with(s -> s.directory = directory);
    }

    /**
     * Sets an environment variable.
     *
     * @param name the name
     * @param value the value
     * @return a new command
     */
    public Command env(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        return with(s -> s.envChanges.put(name, value));
    }

    /**
     * Sets several environment variables.
     *
     * @param variables names and values
     * @return a new command
     */
    public Command env(Map<String, String> variables) {
        variables.forEach((name, value) -> Objects.requireNonNull(value, name));
        return with(s -> s.envChanges.putAll(variables));
    }

    /**
     * Removes an environment variable that would otherwise be inherited.
     *
     * @param name the name
     * @return a new command
     */
    public Command removeEnv(String name) {
        Objects.requireNonNull(name, "name");
        return with(s -> s.envChanges.put(name, null));
    }

    /**
     * Starts from an empty environment instead of a copy of this JVM's; variables set with
     * {@link #env(String, String)} are still added. The program is then looked up on the
     * {@code PATH} given with {@code env}, or on {@code /usr/bin:/bin}.
     *
     * @return a new command
     */
    public Command emptyEnv() {
        return with(s -> s.inheritEnv = false);
    }

    /**
     * Feeds text to stdin, encoded with the command's {@link #charset(Charset) charset}, then
     * closes it. By default, {@link #exec()} gives an empty stdin and {@link #spawn()} a pipe that
     * the caller writes.
     *
     * @param text the text
     * @return a new command
     */
    public Command stdin(String text) {
        Objects.requireNonNull(text, "text");
        return with(s -> s.stdin = new Input.Text(text));
    }

    /**
     * Feeds bytes to stdin, then closes it.
     *
     * @param bytes the bytes; copied
     * @return a new command
     */
    public Command stdin(byte[] bytes) {
        byte[] copy = bytes.clone();
        return with(s -> s.stdin = new Input.Bytes(copy));
    }

    /**
     * Lets the command read stdin straight from a file.
     *
     * @param file the file
     * @return a new command
     */
    public Command stdin(Path file) {
        Objects.requireNonNull(file, "file");
        return with(s -> s.stdin = new Input.FromFile(file));
    }

    /**
     * Copies a stream to stdin on a parx I/O thread, then closes both. A stream can be read only
     * once, so a command built with it should run once.
     *
     * @param stream the stream
     * @return a new command
     */
    public Command stdin(InputStream stream) {
        Objects.requireNonNull(stream, "stream");
        return with(s -> s.stdin = new Input.FromStream(stream));
    }

    /**
     * Limits how long the command may run; when it passes, the process tree is killed and the run
     * fails with {@link CommandTimeoutException}. No timeout by default.
     *
     * @param timeout a positive duration
     * @return a new command
     * @throws IllegalArgumentException if not positive
     */
    public Command timeout(Duration timeout) {
        positive(timeout, "timeout");
        return with(s -> s.timeout = timeout);
    }

    /**
     * Sets how long a killed command may take to exit after SIGTERM before SIGKILL ends it.
     * Default 2 seconds. An output limit or a failing callback kills at once.
     *
     * @param grace zero or more
     * @return a new command
     * @throws IllegalArgumentException if negative
     */
    public Command killGrace(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("killGrace must not be negative, was " + grace);
        }
        return with(s -> s.killGrace = grace);
    }

    /**
     * Sets the charset of stdin text and of decoded output. By default it is the platform's native
     * encoding ({@code native.encoding}), which is what command-line programs write, except where
     * that is ASCII: in the POSIX (C) locale, which a JVM gets with {@code LANG} and {@code LC_ALL}
     * unset, programs still write UTF-8, so the default is UTF-8 there.
     *
     * @param charset the charset
     * @return a new command
     */
    public Command charset(Charset charset) {
        Objects.requireNonNull(charset, "charset");
        return with(s -> s.charset = charset);
    }

    /**
     * Sets the exit codes that count as success; any other fails the run with
     * {@link ProcessFailedException}. Default: only 0.
     *
     * @param codes the allowed codes
     * @return a new command
     */
    public Command allowExitCodes(int... codes) {
        Set<Integer> allowed = Arrays.stream(codes).boxed().collect(Collectors.toUnmodifiableSet());
        return with(s -> s.allowedExitCodes = allowed);
    }

    /**
     * Accepts every exit code: the run fails only on timeout, output limit or kill.
     *
     * @return a new command
     */
    public Command allowAnyExitCode() {
        return with(s -> s.allowedExitCodes = null);
    }

    /**
     * Sends stderr into stdout, interleaved as the command writes them (the shell's {@code 2>&1}).
     *
     * @return a new command
     */
    public Command mergeStderr() {
        return with(s -> s.mergeStderr = true);
    }

    /**
     * Limits how many bytes of each stream are kept in memory (and how long one line may be for
     * {@link Output#lines}). Past it the process tree is killed at once and the run fails with
     * {@link OutputLimitExceededException}. Default 1 MiB.
     *
     * @param bytes at least 1
     * @return a new command
     * @throws IllegalArgumentException if less than 1
     */
    public Command maxOutput(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("maxOutput must be at least 1 byte, was " + bytes);
        }
        return with(s -> s.maxOutput = bytes);
    }

    /**
     * Chooses where stdout goes; by default it is {@link Output#capture() captured}.
     *
     * @param output the choice
     * @return a new command
     */
    public Command stdout(Output output) {
        Objects.requireNonNull(output, "output");
        return with(s -> s.stdout = output);
    }

    /**
     * Chooses where stderr goes; by default it is {@link Output#capture() captured}.
     *
     * @param output the choice
     * @return a new command
     */
    public Command stderr(Output output) {
        Objects.requireNonNull(output, "output");
        return with(s -> s.stderr = output);
    }

    /**
     * Lets the command outlive this JVM (Node's {@code detached}): it is not registered with the
     * guardian that ends commands when the JVM exits. It still runs in a process group of its own,
     * so {@link RunningCommand#kill()} and timeouts still end its tree.
     *
     * @return a new command
     */
    public Command detached() {
        return with(s -> s.detached = true);
    }

    /**
     * Runs the command and waits for it; the calling thread blocks, and parx I/O threads read the
     * output meanwhile. Interrupting the calling thread kills the command.
     *
     * @return the result, if the exit code is allowed
     * @throws ProcessFailedException if the exit code is not allowed; names the command, the code
     *     and the last lines of stderr
     * @throws OutputLimitExceededException if a stream passed {@code maxOutput}
     * @throws CommandTimeoutException if the timeout passed
     * @throws CommandStartException if the program or working directory is missing or unusable, or
     *     an argument cannot be passed in the charset of this JVM's locale
     * @throws java.util.concurrent.CancellationException if the calling thread was interrupted
     *     (its interrupt status is set again) and the command was killed
     * @throws dev.parx.ParxException if an output callback threw (it is the cause)
     * @throws IllegalArgumentException if an output is {@link Output#raw()}
     */
    public CommandResult exec() {
        return Execution.start(List.of(spec), false).await();
    }

    /**
     * Starts the command and returns at once with a future of its result, which fails with the
     * exceptions {@link #exec()} throws (a start failure included). Cancelling the future kills
     * the command's tree.
     *
     * @return the future
     */
    public CompletableFuture<CommandResult> execAsync() {
        try {
            return Execution.start(List.of(spec), false).onExit();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Starts the command and returns at once. Output is delivered as it is produced, to the
     * callbacks of its {@link #stdout(Output)} and {@link #stderr(Output)} settings (or captured
     * for the result of {@link RunningCommand#onExit()}); stdin is a pipe for the caller unless it
     * was set.
     *
     * @return the running command
     * @throws CommandStartException if the program or working directory is missing or unusable, or
     *     an argument cannot be passed in the charset of this JVM's locale
     */
    public RunningCommand spawn() {
        return Execution.start(List.of(spec), true);
    }

    Spec spec() {
        return spec;
    }

    private Command with(Consumer<Spec> change) {
        Spec copy = spec.copy();
        change.accept(copy);
        return new Command(copy);
    }

    private static void positive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

    @Override
    public String toString() {
        return "Command" + spec.command;
    }
}
