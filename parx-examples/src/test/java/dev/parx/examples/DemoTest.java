package dev.parx.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs the whole demo once, as a log or CI would see it (not a terminal), and checks what every
 * exercise found, so that a broken demo fails the build.
 */
class DemoTest {

    private static Demo.Results results;
    private static String output;

    @BeforeAll
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    static void runTheDemo() throws InterruptedException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            results = Demo.run(new Report(out, false));
        }
        output = bytes.toString(StandardCharsets.UTF_8);
        System.out.print(output);   // the demo's output in the test report, to read when a check fails
    }

    @Test
    void theDemoFindsNoProblem() {
        assertEquals(List.of(), results.problems());
    }

    @Test
    void aCommandSucceedsAndAFailingOneReportsItsExitCodeAndStderr() {
        RunCommand.Result command = results.command();
        assertEquals(0, command.exitCode());
        assertFalse(command.output().isBlank());
        assertNotEquals(0, command.failedExitCode());
        assertTrue(command.failedStderr().contains("/no/such/directory"), command.failedStderr());
        assertEquals("CommandStartException", command.missingProgram());
    }

    @Test
    void streamedLinesArriveWhileTheCommandStillRuns() {
        StreamCommand.Result stream = results.stream();
        assertEquals(StreamCommand.LINES, stream.lines().size());
        assertEquals("line 1 of " + StreamCommand.LINES, stream.lines().getFirst());
        // The command sleeps 150 ms after each line: lines that came as written are spread over
        // about a second; lines held back until the end would come within a few milliseconds.
        assertTrue(stream.spreadMillis() >= 500, stream.toString());
        assertTrue(stream.arrivalMillis().getFirst() < stream.totalMillis() - 500, stream.toString());
    }

    @Test
    void aChildJvmSendsBackItsCountAndProgress() {
        ChildJvm.Result child = results.child();
        assertEquals(ChildJvm.EXPECTED, child.primes());
        assertNotEquals(child.parentPid(), child.childPid());
        assertTrue(child.progressReports() > 10, "progress frames: " + child.progressReports());
    }

    @Test
    void fourThreadsAddUpTheRightTotalInTheSharedBuffer() {
        SharedBufferPrimes.Result shared = results.shared();
        assertEquals(SharedBufferPrimes.EXPECTED, shared.total());
        assertEquals(shared.total(), shared.sumOfThreads());
        assertEquals(SharedBufferPrimes.THREADS, shared.chunksPerThread().size());
        assertEquals(120, shared.chunksPerThread().stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void aFixedPoolReusesItsWorkersForEveryTask() {
        WorkerReuse.Result reuse = results.reuse();
        assertEquals(WorkerReuse.WORKERS, reuse.workersAlive());
        assertEquals(WorkerReuse.TASKS, reuse.completed());
        assertTrue(reuse.tasksPerWorker().size() <= WorkerReuse.WORKERS, reuse.tasksPerWorker().toString());
        assertEquals(WorkerReuse.TASKS, reuse.tasksPerWorker().values().stream().mapToInt(Integer::intValue).sum());
        assertTrue(reuse.tasksPerWorker().keySet().stream().allMatch(id -> id.startsWith("parx-reuse-")),
                reuse.tasksPerWorker().toString());
    }

    @Test
    void allFourRunnersCountTheSamePrimes() {
        Comparison.Result comparison = results.comparison();
        assertEquals(List.of("1 thread (plain loop)", "ThreadPool (threads)", "JvmPool (child JVMs)",
                "JvmPool again (reused)", "CommandPool (java per chunk)"), comparison.rows().stream().map(Comparison.Row::runner).toList());
        comparison.rows().forEach(row -> assertEquals(Comparison.EXPECTED, row.primes(), row.runner()));
        comparison.rows().forEach(row -> assertTrue(row.seconds() > 0, row.runner()));
        assertEquals(Runtime.getRuntime().availableProcessors(), comparison.cores());
    }

    @Test
    void eachCommonMistakeIsCaught() {
        CommonMistakes.Result mistakes = results.mistakes();
        assertEquals(List.of("[report.txt]", "INJECTED"), mistakes.viaShell());
        assertEquals(List.of("[report.txt; echo INJECTED]"), mistakes.viaArguments());
        assertTrue(mistakes.virtualMillis() < mistakes.platformMillis(), mistakes.toString());
        assertEquals("TaskFailedException", mistakes.childFailure());
        assertEquals("java.lang.IllegalArgumentException", mistakes.remoteException());
        assertEquals(3, mistakes.crashExitCode());
        assertTrue(mistakes.usableAfterCrash());
        assertEquals(3, mistakes.rejected());
        assertEquals(2, mistakes.peakRunning());
        assertTrue(mistakes.blockedMillis() >= 150, "blocked " + mistakes.blockedMillis() + " ms");
        assertEquals(64 * 1024, mistakes.outputLimit());
    }

    @Test
    void outputForALogHasOneLinePerStepAndNoCarriageReturn() {
        assertFalse(output.contains("\r"), "a carriage return in the non-terminal output");
        assertTrue(output.contains("| CommandPool (java per chunk) |"), output);
        assertTrue(output.contains("== Summary"), output);
        assertEquals(1, output.lines().filter(line -> line.contains("primes below 6,000,000, 4 threads")).count());
    }

    @Test
    void noProcessIsLeftBehind() {
        assertEquals(List.of(), results.leftBehind());
    }
}
