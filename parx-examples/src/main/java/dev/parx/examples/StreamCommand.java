package dev.parx.examples;

import dev.parx.process.Command;
import dev.parx.process.CommandResult;
import dev.parx.process.Output;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Exercise 2: run a long command and stream its output as it is produced.
 *
 * <p>{@link Output#lines} hands each line to a callback as soon as the command has written it, on a
 * parx I/O thread, one line at a time and in order; nothing is kept in memory. Here a shell loop
 * prints a line every 150 ms, and each line is shown with the time it arrived: they come one by
 * one, as written, not all at once when the command ends.
 *
 * <p>Run it alone:
 * <pre>{@code
 * ./mvnw -q -Pdemo package -Dparx.demo=StreamCommand
 * }</pre>
 */
public final class StreamCommand {

    /** The lines the command prints. */
    static final int LINES = 8;

    private StreamCommand() {
    }

    /**
     * What the exercise saw.
     *
     * @param lines the lines, in the order they arrived
     * @param arrivalMillis when each line arrived, in milliseconds after the start
     * @param totalMillis when the command's run completed, in milliseconds after the start
     */
    public record Result(List<String> lines, List<Long> arrivalMillis, long totalMillis) {

        /**
         * Returns the time between the first line and the last: about a second when they stream
         * (the command sleeps between lines), a few milliseconds if they came all at once at the end.
         *
         * @return the milliseconds from the first line to the last
         */
        public long spreadMillis() {
            return arrivalMillis.isEmpty() ? 0 : arrivalMillis.getLast() - arrivalMillis.getFirst();
        }
    }

    /**
     * Runs the exercise.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        run(Report.toStdout());
    }

    /**
     * Streams the output of a command that takes about a second.
     *
     * @param report where to write
     * @return what was seen
     */
    public static Result run(Report report) {
        report.heading("2. Stream a long command's output as it is produced");
        List<String> lines = new ArrayList<>();
        List<Long> arrivals = new ArrayList<>();
        long start = System.nanoTime();
        // A fixed script, no outside input: the one place where Command.shell is fine.
        CommandResult result = Command.shell("for i in $(seq 1 " + LINES + "); do echo \"line $i of " + LINES
                        + "\"; sleep 0.15; done")
                .timeout(Duration.ofSeconds(30))
                .stdout(Output.lines(line -> {
                    long at = (System.nanoTime() - start) / 1_000_000;
                    synchronized (lines) {   // callbacks run on a parx I/O thread
                        lines.add(line);
                        arrivals.add(at);
                    }
                    report.line("+%4d ms  %s", at, line);
                }))
                .exec();
        long total = (System.nanoTime() - start) / 1_000_000;
        Result seen;
        synchronized (lines) {
            seen = new Result(List.copyOf(lines), List.copyOf(arrivals), total);
        }
        report.line("exit %d after %d ms; the lines came over %d ms, each as it was written, not all at the end",
                result.exitCode(), total, seen.spreadMillis());
        return seen;
    }
}
