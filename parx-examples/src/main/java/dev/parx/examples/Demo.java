package dev.parx.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The README's demo: the six exercises of parallel work and the common mistakes, one after the
 * other, then a summary. Each exercise is a class of its own with a {@code main}, to read and to
 * run alone: {@link RunCommand}, {@link StreamCommand}, {@link ChildJvm}, {@link SharedBufferPrimes},
 * {@link WorkerReuse}, {@link Comparison} and {@link CommonMistakes}.
 *
 * <p>On a terminal, long steps draw a live progress bar; in a pipe, a log or CI, each step prints
 * one line when it ends (see {@link Report}).
 *
 * <pre>{@code
 * ./mvnw -q -Pdemo package                            # everything
 * ./mvnw -q -Pdemo package -Dparx.demo=Comparison     # one exercise
 * # after one of those, with plain java (target/classpath.txt lists the dependencies):
 * java --enable-native-access=ALL-UNNAMED \
 *      -cp "parx-examples/target/classes:$(cat parx-examples/target/classpath.txt)" dev.parx.examples.Comparison
 * }</pre>
 */
public final class Demo {

    /** The examples that {@code -Dparx.demo} may name, in the order the demo runs them. */
    private static final List<String> EXAMPLES = List.of("RunCommand", "StreamCommand", "ChildJvm",
            "SharedBufferPrimes", "WorkerReuse", "Comparison", "CommonMistakes");

    private Demo() {
    }

    /**
     * Everything the demo saw, for the summary and for tests.
     *
     * @param command exercise 1
     * @param stream exercise 2
     * @param child exercise 3
     * @param shared exercise 4
     * @param reuse exercise 5
     * @param comparison exercise 6
     * @param mistakes the common mistakes
     * @param leftBehind the processes still running after the demo, besides parx's guardian
     */
    public record Results(RunCommand.Result command, StreamCommand.Result stream, ChildJvm.Result child,
            SharedBufferPrimes.Result shared, WorkerReuse.Result reuse, Comparison.Result comparison,
            CommonMistakes.Result mistakes, List<Long> leftBehind) {

        /**
         * Returns what is wrong with the results: a count that does not match, a process left
         * behind. Empty if all is well.
         *
         * @return the problems, one sentence each
         */
        public List<String> problems() {
            List<String> problems = new ArrayList<>();
            check(problems, command.exitCode() == 0 && command.failedExitCode() != 0, "1: exit codes");
            check(problems, stream.lines().size() == StreamCommand.LINES && stream.spreadMillis() >= 500,
                    "2: the lines came all at once, not as they were written");
            check(problems, child.primes() == ChildJvm.EXPECTED && child.childPid() != child.parentPid()
                    && child.progressReports() > 0, "3: child JVM count or progress");
            check(problems, shared.total() == SharedBufferPrimes.EXPECTED && shared.sumOfThreads() == shared.total(),
                    "4: shared-buffer count");
            check(problems, reuse.workersAlive() == WorkerReuse.WORKERS && reuse.completed() == WorkerReuse.TASKS
                    && reuse.tasksPerWorker().size() <= WorkerReuse.WORKERS
                    && reuse.tasksPerWorker().values().stream().mapToInt(Integer::intValue).sum() == WorkerReuse.TASKS,
                    "5: worker reuse");
            check(problems, comparison.rows().stream().allMatch(r -> r.primes() == Comparison.EXPECTED),
                    "6: the four runners disagree");
            check(problems, mistakes.viaShell().size() == 2 && mistakes.viaArguments().size() == 1
                    && mistakes.usableAfterCrash() && mistakes.peakRunning() <= 2, "mistakes");
            check(problems, leftBehind.isEmpty(), "processes left behind: " + leftBehind);
            return problems;
        }

        private static void check(List<String> problems, boolean ok, String problem) {
            if (!ok) {
                problems.add(problem);
            }
        }
    }

    /**
     * Runs the demo, or the one exercise named by the system property {@code parx.demo} (a class
     * name of this package, such as {@code Comparison}). Exits with 1 if a check failed.
     *
     * @param args ignored
     * @throws Exception if an exercise fails
     */
    public static void main(String[] args) throws Exception {
        String one = System.getProperty("parx.demo", "").strip();
        if (!one.isEmpty() && !one.equals("Demo") && !one.equals("all")) {
            if (!EXAMPLES.contains(one)) {
                System.err.println("no example named '" + one + "'; -Dparx.demo takes one of " + EXAMPLES
                        + ", or all");
                System.exit(2);
            }
            Class.forName(Demo.class.getPackageName() + "." + one).getMethod("main", String[].class)
                    .invoke(null, (Object) args);
            return;
        }
        Report report = Report.toStdout();
        Results results = run(report);
        List<String> problems = results.problems();
        if (!problems.isEmpty()) {
            System.out.println("\nFAILED: " + String.join("; ", problems));
            System.exit(1);
        }
    }

    /**
     * Runs every exercise and prints the summary.
     *
     * @param report where to write
     * @return what the exercises saw
     * @throws InterruptedException if interrupted while waiting for a pool
     */
    public static Results run(Report report) throws InterruptedException {
        long start = System.nanoTime();
        report.line("parx demo: %d available processors, %s %s, output %s",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"), report.terminal() ? "a terminal (live bars)" : "not a terminal (a line per step)");
        RunCommand.Result command = RunCommand.run(report);
        StreamCommand.Result stream = StreamCommand.run(report);
        ChildJvm.Result child = ChildJvm.run(report);
        SharedBufferPrimes.Result shared = SharedBufferPrimes.run(report);
        WorkerReuse.Result reuse = WorkerReuse.run(report);
        Comparison.Result comparison = Comparison.run(report);
        CommonMistakes.Result mistakes = CommonMistakes.run(report);
        List<Long> left = leftBehind();
        Results results = new Results(command, stream, child, shared, reuse, comparison, mistakes, left);
        summary(report, results, (System.nanoTime() - start) / 1e9);
        return results;
    }

    private static void summary(Report report, Results r, double seconds) {
        report.heading("Summary");
        report.line("1 command       exit %d (%s); a failing one: exit %d, %s", r.command().exitCode(),
                r.command().output(), r.command().failedExitCode(), r.command().missingProgram() + " for a missing program");
        report.line("2 streaming     %d lines as they were written, over %d ms of the command's %d ms",
                r.stream().lines().size(), r.stream().spreadMillis(), r.stream().totalMillis());
        report.line("3 child JVM     %,d primes from pid %d with %d progress frames", r.child().primes(),
                r.child().childPid(), r.child().progressReports());
        report.line("4 SharedBuffer  %,d primes; chunks per thread %s", r.shared().total(), r.shared().chunksPerThread());
        report.line("5 reuse         %d tasks on %d workers: %s", WorkerReuse.TASKS, r.reuse().tasksPerWorker().size(),
                r.reuse().tasksPerWorker());
        StringBuilder speedups = new StringBuilder();
        for (Comparison.Row row : r.comparison().rows()) {
            speedups.append(String.format(Locale.ROOT, "%s%s %.2fx", speedups.isEmpty() ? "" : ", ",
                    row.runner().replaceAll(" \\(.*", ""), r.comparison().speedup(row)));
        }
        report.line("6 comparison    all four found %,d primes; %s", Comparison.EXPECTED, speedups);
        report.line("mistakes        injection stopped, %d vs %d ms for I/O, %s and exit %d caught, %d rejected,"
                + " output cut at %d KiB", r.mistakes().platformMillis(), r.mistakes().virtualMillis(),
                r.mistakes().childFailure(), r.mistakes().crashExitCode(), r.mistakes().rejected(),
                r.mistakes().outputLimit() / 1024);
        report.line("processes left  %s", r.leftBehind().isEmpty() ? "none (parx's guardian exits with this JVM)"
                : r.leftBehind());
        List<String> problems = r.problems();
        report.line("checks          %s; %.1f s in all", problems.isEmpty() ? "all passed" : "FAILED: " + problems, seconds);
    }

    /**
     * Returns the processes this JVM started that still run, besides parx's guardian (which ends
     * with this JVM), after giving closing pools a few seconds to reap their children.
     *
     * @return their pids
     * @throws InterruptedException if interrupted while waiting
     */
    static List<Long> leftBehind() throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        List<Long> left = running();
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            left = running();
        }
        return left;
    }

    private static List<Long> running() {
        return ProcessHandle.current().descendants()
                .filter(p -> !p.info().commandLine().orElse("").contains("GuardianMain"))
                .filter(Demo::runningNotZombie)
                .map(ProcessHandle::pid)
                .toList();
    }

    private static boolean runningNotZombie(ProcessHandle process) {
        Path stat = Path.of("/proc", Long.toString(process.pid()), "stat");
        if (!Files.exists(Path.of("/proc/self"))) {
            return process.isAlive();
        }
        try {
            String line = Files.readString(stat);
            char state = line.charAt(line.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException gone) {
            return false;
        }
    }
}
