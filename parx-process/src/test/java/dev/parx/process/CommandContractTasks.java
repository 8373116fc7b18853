package dev.parx.process;

import dev.parx.Task;
import dev.parx.TaskContext;
import dev.parx.testkit.ContractTasks;
import java.io.Writer;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The pool contract's roles played by commands: every task's work happens in an OS process, and
 * Java only builds the command line and reads the result.
 */
@SuppressWarnings("exports") // test code, compiled into the module only to be run on the class path
public final class CommandContractTasks implements ContractTasks {

    @Override
    public Class<? extends Task<String, String>> echo() {
        return Echo.class;
    }

    @Override
    public Class<? extends Task<long[], Long>> sum() {
        return Sum.class;
    }

    @Override
    public Class<? extends Task<String, String>> fail() {
        return Fail.class;
    }

    @Override
    public String failureClassName() {
        return IllegalStateException.class.getName();
    }

    @Override
    public Class<? extends Task<Long, String>> sleepUntilCancelled() {
        return SleepUntilCancelled.class;
    }

    @Override
    public Class<? extends Task<Long, String>> ignoreCancellation() {
        return IgnoreCancellation.class;
    }

    @Override
    public Class<? extends Task<Integer, Integer>> emitMessages() {
        return EmitMessages.class;
    }

    @Override
    public Class<? extends Task<Integer, Integer>> reportProgress() {
        return ReportProgress.class;
    }

    @Override
    public Class<? extends Task<Integer, Integer>> echoMessages() {
        return EchoMessages.class;
    }

    @Override
    public Class<? extends Task<byte[], byte[]>> payload() {
        return Payload.class;
    }

    @Override
    public int bulkTaskCount() {
        return 300; // each task starts a process: 10,000 would take minutes on two cores
    }

    private static String seconds(long millis) {
        return String.format(java.util.Locale.ROOT, "%.3f", millis / 1000.0);
    }

    /** {@code cat}: returns its input. */
    public static final class Echo extends CommandTask<String, String> {
        @Override
        protected Command command(String input, TaskContext context) {
            return Command.of("cat").stdin(input);
        }

        @Override
        protected String result(String input, CommandResult result) {
            return result.stdout();
        }
    }

    /** {@code awk}: sums its input numbers. */
    public static final class Sum extends CommandTask<long[], Long> {
        @Override
        protected Command command(long[] input, TaskContext context) {
            String lines = Arrays.stream(input).mapToObj(Long::toString).collect(Collectors.joining("\n", "", "\n"));
            return Command.of("awk", "{ s += $1 } END { printf \"%.0f\", s }").stdin(lines);
        }

        @Override
        protected Long result(long[] input, CommandResult result) {
            return Long.parseLong(result.stdoutTrimmed());
        }
    }

    /** {@code sh}: writes its input to stderr and exits 3; the task reports stderr as the failure. */
    public static final class Fail extends CommandTask<String, String> {
        @Override
        protected Command command(String input, TaskContext context) {
            return Command.of("sh", "-c", "printf '%s\\n' \"$1\" >&2; exit 3", "sh", input);
        }

        @Override
        protected String result(String input, CommandResult result) {
            throw new AssertionError("the command exits 3");
        }

        @Override
        protected String failed(String input, ProcessFailedException failure) {
            throw new IllegalStateException(String.join("\n", failure.stderrTail()));
        }
    }

    /** {@code sleep}: says "started", then sleeps for its input in milliseconds. */
    public static final class SleepUntilCancelled extends CommandTask<Long, String> {
        @Override
        protected Command command(Long millis, TaskContext context) {
            return Command.of("sh", "-c", "echo started; exec sleep \"$1\"", "sh", seconds(millis))
                    .stdout(Output.lines(context::emit));
        }

        @Override
        protected String result(Long input, CommandResult result) {
            return "slept";
        }
    }

    /** {@code sh} that ignores SIGTERM: only the forced kill after the grace ends it. */
    public static final class IgnoreCancellation extends CommandTask<Long, String> {
        @Override
        protected Command command(Long millis, TaskContext context) {
            return Command.of("sh", "-c", "trap '' TERM; echo started; sleep \"$1\"", "sh", seconds(millis))
                    .killGrace(Duration.ofMillis(500))
                    .stdout(Output.lines(context::emit));
        }

        @Override
        protected String result(Long input, CommandResult result) {
            return "done";
        }
    }

    /** {@code awk}: prints message-0 to message-(n-1), each emitted as it comes. */
    public static final class EmitMessages extends CommandTask<Integer, Integer> {
        @Override
        protected Command command(Integer n, TaskContext context) {
            return Command.of("awk", "-v", "n=" + n, "BEGIN { for (i = 0; i < n; i++) print \"message-\" i }")
                    .stdout(Output.captureAndLines(context::emit));
        }

        @Override
        protected Integer result(Integer n, CommandResult result) {
            return result.stdoutLines().size();
        }
    }

    /** {@code awk}: prints "i n" lines that the task turns into progress. */
    public static final class ReportProgress extends CommandTask<Integer, Integer> {
        @Override
        protected Command command(Integer n, TaskContext context) {
            return Command.of("awk", "-v", "n=" + n, "BEGIN { for (i = 1; i <= n; i++) print i, n }")
                    .stdout(Output.lines(line -> {
                        String[] parts = line.split(" ");
                        int i = Integer.parseInt(parts[0]);
                        context.progress((double) i / Integer.parseInt(parts[1]), "step " + i);
                    }));
        }

        @Override
        protected Integer result(Integer n, CommandResult result) {
            return n;
        }
    }

    /** {@code sh}: says "ready", then echoes each stdin line as "echo:line"; the task forwards messages to stdin. */
    public static final class EchoMessages extends CommandTask<Integer, Integer> {
        @Override
        protected Command command(Integer n, TaskContext context) {
            return Command.of("sh", "-c", "echo ready; while IFS= read -r line; do printf 'echo:%s\\n' \"$line\"; done")
                    .stdout(Output.lines(context::emit));
        }

        @Override
        protected void interact(RunningCommand command, Integer n, TaskContext context) throws Exception {
            Writer stdin = command.stdinWriter();
            for (int i = 0; i < n; i++) {
                String message = null;
                while (message == null) {
                    context.checkCancelled();
                    message = context.receive(String.class, Duration.ofMillis(100));
                }
                stdin.write(message + "\n");
                stdin.flush();
            }
        }

        @Override
        protected Integer result(Integer n, CommandResult result) {
            return n;
        }
    }

    /** {@code perl}: returns its input bytes reversed. */
    public static final class Payload extends CommandTask<byte[], byte[]> {
        @Override
        protected Command command(byte[] input, TaskContext context) {
            return Command.of("perl", "-e", "binmode STDIN; binmode STDOUT; local $/; my $d = <STDIN>; print scalar reverse $d")
                    .stdin(input)
                    .maxOutput(64L << 20);
        }

        @Override
        protected byte[] result(byte[] input, CommandResult result) {
            return result.stdoutBytes();
        }
    }
}
