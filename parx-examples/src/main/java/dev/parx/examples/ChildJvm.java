package dev.parx.examples;

import dev.parx.TaskFailedException;
import dev.parx.TaskHandle;
import dev.parx.ipc.JvmPool;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Exercise 3: run a heavy computation in a child JVM that sends its result and its progress back
 * over IPC.
 *
 * <p>A {@link JvmPool} starts {@code java ... dev.parx.ipc.ChildMain} with this JVM's class path,
 * which is why the same {@link ChildPrimesTask} class runs there unchanged. The task's
 * {@code context.progress(..)} calls travel as {@code progress} frames (JSON lines on the child's
 * stdout) and reach {@code onProgress} here, in order and all before the result; the result comes
 * back as a {@code result} frame, read as the task's own output type.
 *
 * <p>Run it alone:
 * <pre>{@code
 * ./mvnw -q -Pdemo package -Dparx.demo=ChildJvm
 * }</pre>
 */
public final class ChildJvm {

    /** The primes below this number are counted. */
    static final long LIMIT = 3_000_000;
    /** pi(3,000,000). */
    static final long EXPECTED = 216_816;

    private ChildJvm() {
    }

    /**
     * What the exercise saw.
     *
     * @param primes the count the child sent back
     * @param childPid the pid of the child JVM that counted
     * @param parentPid this JVM's pid
     * @param progressReports how many progress reports arrived before the result
     */
    public record Result(long primes, long childPid, long parentPid, int progressReports) {
    }

    /**
     * Runs the exercise.
     *
     * @param args ignored
     * @throws TaskFailedException if the task failed in the child
     */
    public static void main(String[] args) {
        run(Report.toStdout());
    }

    /**
     * Counts the primes below {@link #LIMIT} in one child JVM, with a progress bar fed by the child.
     *
     * @param report where to write
     * @return what was seen
     */
    public static Result run(Report report) {
        report.heading("3. A heavy computation in a child JVM, result and progress over IPC");
        AtomicInteger reports = new AtomicInteger();
        ChildPrimesTask.Counted counted;
        try (JvmPool pool = JvmPool.builder().name("child").workers(1).build()) {
            Report.Bar bar = report.bar("primes below " + String.format("%,d", LIMIT) + " in a child", 100);
            TaskHandle<ChildPrimesTask.Counted> handle = pool.submit(ChildPrimesTask.class, new Range(0, LIMIT));
            handle.onProgress((fraction, step) -> {   // called here, as the child's frames arrive
                reports.incrementAndGet();
                bar.fraction(fraction);
            });
            counted = handle.join();
            bar.done(String.format("%,d primes, %d progress frames", counted.primes(), reports.get()));
        }
        long parent = ProcessHandle.current().pid();
        report.line("counted by pid %d (worker %s); this JVM is pid %d", counted.pid(), counted.workerId(), parent);
        return new Result(counted.primes(), counted.pid(), parent, reports.get());
    }
}
