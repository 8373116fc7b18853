package dev.parx.examples;

import dev.parx.FullQueuePolicy;
import dev.parx.RejectedTaskException;
import dev.parx.TaskFailedException;
import dev.parx.TaskHandle;
import dev.parx.WorkerCrashedException;
import dev.parx.ipc.JvmPool;
import dev.parx.process.Command;
import dev.parx.process.OutputLimitExceededException;
import dev.parx.threads.ThreadPool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The common mistakes of parallel work, each made on purpose, and what parx does about it:
 * <ol>
 *   <li>shell injection: a hostile argument given to {@code Command.shell} runs a second command;
 *       given to {@code Command.of}, it stays one argument;</li>
 *   <li>platform threads for blocking I/O: a few threads wait in turn; virtual threads wait all at
 *       once;</li>
 *   <li>an unhandled error in a child: a task's exception comes back as
 *       {@link TaskFailedException}, a child that dies as {@link WorkerCrashedException}, and the
 *       pool goes on;</li>
 *   <li>too many workers: a pool bounds its workers and its queue; beyond the queue a submit is
 *       rejected ({@link RejectedTaskException}) or waits ({@link FullQueuePolicy#BLOCK});</li>
 *   <li>unbounded output: a command that writes without end fails with
 *       {@link OutputLimitExceededException} once it passes {@code maxOutput}.</li>
 * </ol>
 *
 * <p>Run it alone:
 * <pre>{@code
 * ./mvnw -q -Pdemo package -Dparx.demo=CommonMistakes
 * }</pre>
 */
public final class CommonMistakes {

    private CommonMistakes() {
    }

    /**
     * What the mistakes gave.
     *
     * @param viaShell the lines {@code printf} printed through a shell: the injected command's too
     * @param viaArguments the lines it printed with the argument passed as is
     * @param platformMillis the time of the blocking calls on four platform threads
     * @param virtualMillis the time of the same calls on virtual threads
     * @param childFailure the type of the exception for a task that threw in a child JVM
     * @param remoteException the class of the exception the task threw there
     * @param crashExitCode the exit code a crashed child reported
     * @param usableAfterCrash whether the pool ran a task after the crash
     * @param rejected the submits a full queue refused
     * @param peakRunning the most tasks that ran at once in the bounded pool
     * @param blockedMillis how long a submit to a full {@code BLOCK} queue waited
     * @param outputLimit the limit a command without end ran into, in bytes
     */
    public record Result(List<String> viaShell, List<String> viaArguments, long platformMillis, long virtualMillis,
            String childFailure, String remoteException, int crashExitCode, boolean usableAfterCrash, int rejected,
            int peakRunning, long blockedMillis, long outputLimit) {
    }

    /**
     * Runs the mistakes.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted while waiting for the tasks
     */
    public static void main(String[] args) throws InterruptedException {
        run(Report.toStdout());
    }

    /**
     * Makes each mistake once and shows what happens.
     *
     * @param report where to write
     * @return what happened
     * @throws InterruptedException if interrupted while waiting for the tasks
     */
    public static Result run(Report report) throws InterruptedException {
        report.heading("Common mistakes, and what parx does about each");

        // 1. Shell injection. Think of the argument as a file name a user typed.
        String hostile = "report.txt; echo INJECTED";
        List<String> viaShell = Command.shell("printf '[%s]\\n' " + hostile).exec().stdoutLines();
        List<String> viaArguments = Command.of("printf", "[%s]\\n", hostile).exec().stdoutLines();
        report.line("shell injection: argument \"%s\"", hostile);
        report.line("  Command.shell(\"printf '[%%s]\\\\n' \" + arg) -> %d lines %s: the shell ran 'echo INJECTED'",
                viaShell.size(), viaShell);
        report.line("  Command.of(\"printf\", \"[%%s]\\\\n\", arg)     -> %d line  %s: one argument, no shell",
                viaArguments.size(), viaArguments);

        // 2. Threads for I/O: 100 blocking calls of 40 ms each.
        long platform = blockingCalls(ThreadPool.builder().name("io-platform").workers(4).build());
        long virtual = blockingCalls(ThreadPool.builder().name("io-virtual").virtualThreads().workers(100).build());
        report.line("threads for I/O: 100 blocking calls of 40 ms: 4 platform threads %d ms, 100 virtual threads %d ms",
                platform, virtual);

        // 3. An unhandled error in a child JVM.
        String childFailure;
        String remote;
        int exitCode;
        boolean usable;
        try (JvmPool pool = JvmPool.builder().name("mistakes").workers(1).build()) {
            try {
                pool.submit(MistakeTasks.Failing.class, "ACME").join();
                throw new IllegalStateException("the failing task succeeded");
            } catch (TaskFailedException e) {
                childFailure = e.getClass().getSimpleName();
                remote = e.exceptionClassName();
                report.line("a task that throws in a child JVM -> %s: %s", childFailure, e.getMessage());
                report.line("  the child's exception: %s: %s", remote, e.exceptionMessage());
            }
            try {
                pool.submit(MistakeTasks.Exiting.class, 3).join();
                throw new IllegalStateException("the exiting task returned");
            } catch (WorkerCrashedException e) {
                exitCode = e.exitCode() == null ? -1 : e.exitCode();
                report.line("a child that calls System.exit(3)  -> %s: %s", e.getClass().getSimpleName(),
                        e.getMessage().lines().findFirst().orElse(""));
            }
            usable = pool.submit(ChildPrimesTask.class, new Range(0, 1000)).join().primes() == 168;
            report.line("  the child was replaced: the next task %s", usable ? "ran (168 primes below 1,000)" : "FAILED");
        }

        // 4. Too many workers: a bounded pool, a bounded queue.
        int rejected = 0;
        Gate gate = new Gate(2);
        try (ThreadPool pool = ThreadPool.builder().name("bounded").workers(2).maxQueue(3).build()) {
            List<TaskHandle<Integer>> accepted = new ArrayList<>();
            accepted.add(pool.submit(MistakeTasks.Gated.class, gate.gate));
            accepted.add(pool.submit(MistakeTasks.Gated.class, gate.gate));
            gate.awaitStarted();   // both workers busy: what comes next waits in the queue
            for (int i = 0; i < 6; i++) {
                try {
                    accepted.add(pool.submit(MistakeTasks.Gated.class, gate.gate));
                } catch (RejectedTaskException e) {
                    if (rejected++ == 0) {
                        report.line("too many tasks: 2 workers, maxQueue(3), 8 submits -> %s (%s): %s",
                                e.getClass().getSimpleName(), e.reason(), e.getMessage());
                    }
                }
            }
            gate.gate.release().countDown();
            accepted.forEach(TaskHandle::join);
            report.line("  %d accepted, %d rejected; at most %d ran at once, never more than the 2 workers",
                    accepted.size(), rejected, gate.gate.peak().get());
        }
        long blocked;
        try (ThreadPool pool = ThreadPool.builder().name("blocking").workers(1).maxQueue(1)
                .onFullQueue(FullQueuePolicy.BLOCK).build()) {
            long start = System.nanoTime();
            List<TaskHandle<Boolean>> handles = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                handles.add(pool.submit(MistakeTasks.BlockingCall.class, Duration.ofMillis(200)));
            }
            blocked = (System.nanoTime() - start) / 1_000_000;
            handles.forEach(TaskHandle::join);
            report.line("  with onFullQueue(BLOCK), 1 worker, maxQueue(1): 3 submits of 200 ms tasks took %d ms:"
                    + " the caller waited for room", blocked);
        }

        // 5. Unbounded output: `yes` never stops writing.
        long limit = 64 * 1024;
        long start = System.nanoTime();
        try {
            Command.of("yes").maxOutput(limit).timeout(Duration.ofSeconds(30)).exec();
            throw new IllegalStateException("yes ended by itself");
        } catch (OutputLimitExceededException e) {
            report.line("unbounded output: yes with maxOutput(64 KiB) -> %s after %d ms: %s",
                    e.getClass().getSimpleName(), (System.nanoTime() - start) / 1_000_000, e.getMessage());
            limit = e.limitBytes();
        }
        report.line("  (the default maxOutput is 1 MiB per stream; Output.lines keeps nothing and bounds one line)");

        return new Result(viaShell, viaArguments, platform, virtual, childFailure, remote, exitCode, usable,
                rejected, gate.gate.peak().get(), blocked, limit);
    }

    private static long blockingCalls(ThreadPool pool) {
        long start = System.nanoTime();
        try (pool) {
            List<TaskHandle<Boolean>> handles = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                handles.add(pool.submit(MistakeTasks.BlockingCall.class, Duration.ofMillis(40)));
            }
            handles.forEach(TaskHandle::join);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** The gate of the bounded-pool mistake, and a bounded wait for its first tasks to start. */
    private static final class Gate {

        private final MistakeTasks.Gate gate;

        Gate(int first) {
            gate = new MistakeTasks.Gate(new CountDownLatch(first), new CountDownLatch(1), new AtomicInteger(),
                    new AtomicInteger());
        }

        void awaitStarted() throws InterruptedException {
            if (!gate.started().await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the first tasks did not start within 30 s");
            }
        }
    }
}
