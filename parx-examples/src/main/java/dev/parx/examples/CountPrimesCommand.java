package dev.parx.examples;

import dev.parx.TaskContext;
import dev.parx.process.Command;
import dev.parx.process.CommandResult;
import dev.parx.process.CommandTask;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Counts the primes in a range by running {@link CountPrimesMain} as a command,
 * {@code java -cp <this JVM's class path> dev.parx.examples.CountPrimesMain <from> <to>}, and
 * reading the count from its stdout: the task that a {@code CommandPool} runs in
 * {@link Comparison}. Every run is a new process, so every run pays for starting a JVM.
 */
public final class CountPrimesCommand extends CommandTask<Range, Long> {

    /** Creates the task; pools do, by class name. */
    public CountPrimesCommand() {
    }

    @Override
    protected Command command(Range range, TaskContext context) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return Command.of(java, "-XX:+UseSerialGC", "-Xmx64m", "-Xshare:auto",
                        "-cp", System.getProperty("java.class.path"),
                        CountPrimesMain.class.getName(), Long.toString(range.from()), Long.toString(range.to()))
                .timeout(Duration.ofMinutes(2));
    }

    @Override
    protected Long result(Range range, CommandResult result) {
        return Long.parseLong(result.stdoutTrimmed());
    }
}
