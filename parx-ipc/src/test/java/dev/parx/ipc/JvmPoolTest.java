package dev.parx.ipc;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parx.TaskFailedException;
import dev.parx.TaskHandle;
import dev.parx.WorkerCrashedException;
import dev.parx.ipc.tasks.CrashTasks;
import dev.parx.ipc.tasks.NestedFailureTask;
import dev.parx.ipc.tasks.Point;
import dev.parx.ipc.tasks.PointsTask;
import dev.parx.ipc.tasks.PollutionTasks;
import dev.parx.ipc.tasks.PrintTask;
import dev.parx.ipc.tasks.ScaleTask;
import dev.parx.testkit.tasks.EchoMessagesTask;
import dev.parx.testkit.tasks.EchoTask;
import dev.parx.testkit.tasks.SleepUntilCancelledTask;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a pool of child JVMs does beyond the pool contract. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JvmPoolTest {

    private final List<JvmPool> pools = new ArrayList<>();

    private JvmPool pool(JvmPool.Builder builder) {
        JvmPool pool = builder.build();
        pools.add(pool);
        return pool;
    }

    @AfterEach
    void closePools() throws InterruptedException {
        Children.stopAll(pools);
        Children.awaitNoChildJvms();
    }

    @Test
    void valuesArriveAsTheTasksTypeArgumentsBothWays() {
        JvmPool pool = pool(JvmPool.builder().workers(1));
        Map<String, Point> named = pool.submit(PointsTask.class, List.of(new Point(1, 2), new Point(3, 4))).join();
        assertEquals(Map.of("p0", new Point(10, 20), "p1", new Point(30, 40)), named);
    }

    @Test
    void aRemoteFailureKeepsItsCauses() {
        JvmPool pool = pool(JvmPool.builder().workers(1));
        TaskFailedException failure = assertThrows(TaskFailedException.class,
                pool.submit(NestedFailureTask.class, "x")::join);
        assertEquals("java.io.UncheckedIOException", failure.exceptionClassName());
        Throwable middle = failure.getSuppressed()[0];
        assertEquals("java.io.IOException: middle", middle.toString());
        assertEquals("java.lang.IllegalStateException: root x", middle.getCause().toString());
    }

    @Test
    void outputFromJavaFromFdOneAndFromInheritingProgramsIsForwardedAndCorruptsNoFrame() {
        List<String> lines = new CopyOnWriteArrayList<>();
        JvmPool pool = pool(JvmPool.builder().workers(1).childOutput((worker, line) -> lines.add(line)));
        assertEquals("done", pool.submit(PrintTask.class, 200).join());
        assertEquals("wrote", pool.submit(PollutionTasks.FdOne.class, "{\"type\":\"result\",\"id\":\"forged\"}").join());
        assertEquals("echo exited 0", pool.submit(PollutionTasks.Inherited.class, "from a subprocess").join());
        assertEquals("after", pool.submit(EchoTask.class, "after").join());
        await().atMost(Duration.ofSeconds(10)).until(() -> lines.contains("from a subprocess"));
        for (int i = 0; i < 200; i++) {
            assertTrue(lines.contains("printed " + i + " {\"type\":\"result\",\"id\":\"fake\"}"), "line " + i);
        }
        assertTrue(lines.contains("{\"type\":\"result\",\"id\":\"forged\"}"), lines.toString());
    }

    @Test
    void whatATaskPrintedJustBeforeTheChildExitsIsForwardedBeforeThePoolTerminates() throws InterruptedException {
        List<String> lines = new CopyOnWriteArrayList<>();
        JvmPool pool = JvmPool.builder().workers(1).childOutput((worker, line) -> lines.add(line)).build();
        try {
            assertEquals("done", pool.submit(PrintTask.class, 5_000).join());
        } finally {
            pool.close();   // at once: the lines may still be in the child's capture pipe
        }
        assertTrue(pool.awaitTermination(Duration.ofSeconds(30)));
        assertEquals(5_000, lines.stream().filter(line -> line.startsWith("printed ")).count());
        assertTrue(lines.contains("the last line"), () -> "lines: " + lines.size());
    }

    @Test
    void everyKindOfCrashFailsOnlyItsTaskWithTheExitAndTheWorkerIsReplaced() {
        JvmPool pool = pool(JvmPool.builder().workers(2).jvmOptions("-Xmx48m"));
        TaskHandle<String> bystander = pool.submit(SleepUntilCancelledTask.class, 120_000L);
        WorkerCrashedException exit = assertThrows(WorkerCrashedException.class, pool.submit(CrashTasks.Exit.class, 7)::join);
        assertEquals(7, exit.exitCode());
        assertTrue(exit.getMessage().contains("exited with code 7"), exit.getMessage());
        WorkerCrashedException halt = assertThrows(WorkerCrashedException.class, pool.submit(CrashTasks.Halt.class, "42")::join);
        assertEquals(42, halt.exitCode());
        WorkerCrashedException nine = assertThrows(WorkerCrashedException.class,
                pool.submit(CrashTasks.KillNine.class, "")::join);
        assertEquals(137, nine.exitCode());
        assertTrue(nine.getMessage().contains("SIGKILL"), nine.getMessage());
        WorkerCrashedException oom = assertThrows(WorkerCrashedException.class,
                pool.submit(CrashTasks.OutOfMemory.class, "")::join);
        assertEquals(3, oom.exitCode(), oom.getMessage());
        assertTrue(oom.stderrTail().stream().anyMatch(line -> line.contains("OutOfMemoryError")), oom.stderrTail().toString());
        assertFalse(bystander.isDone());
        assertEquals("still here", pool.submit(EchoTask.class, "still here").join());
        assertTrue(bystander.cancel(true));
    }

    @Test
    void aChildKilledFromOutsideFailsItsTask() {
        JvmPool pool = pool(JvmPool.builder().workers(1));
        TaskHandle<String> running = pool.submit(SleepUntilCancelledTask.class, 120_000L);
        await().atMost(Duration.ofSeconds(30)).until(() -> Children.childJvms().size() == 1 && pool.stats().active() == 1);
        Children.childJvms().getFirst().destroyForcibly();
        WorkerCrashedException crash = assertThrows(WorkerCrashedException.class, running::join);
        assertEquals(137, crash.exitCode());
        assertEquals("next", pool.submit(EchoTask.class, "next").join());
    }

    @Test
    void aChildIsReplacedAfterMaxTasksPerWorkerAsARecycleNotACrash() {
        JvmPool pool = pool(JvmPool.builder().workers(1).maxTasksPerWorker(2));
        Set<Long> pids = new HashSet<>();
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        // slf4j-simple writes to whatever System.err is at each call: keep a copy meanwhile.
        System.setErr(new PrintStream(new TeeOutputStream(stderr, logged), true, StandardCharsets.UTF_8));
        try {
            for (int i = 0; i < 5; i++) {
                pids.add(pool.submit(PollutionTasks.Pid.class, "").join());
            }
            // The second child leaves once its second task's end was reported: wait for it.
            await().atMost(Duration.ofSeconds(30)).until(() -> pool.stats().workersRecycled() == 2);
        } finally {
            System.setErr(stderr);
        }
        assertEquals(3, pids.size(), pids.toString());
        assertEquals(0, pool.stats().failed());
        assertEquals(0, pool.stats().workersCrashed());
        String log = logged.toString(StandardCharsets.UTF_8);
        assertFalse(log.contains(" WARN "), log);
    }

    /** Writes to two streams. */
    private static final class TeeOutputStream extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        TeeOutputStream(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            first.flush();
        }
    }

    @Test
    void oneChildRunsSeveralTasksAtOnce() {
        JvmPool pool = pool(JvmPool.builder().workers(1).tasksPerWorker(3));
        List<TaskHandle<Integer>> gates = new ArrayList<>();
        List<Object> messages = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 3; i++) {
            gates.add(pool.submit(EchoMessagesTask.class, 1).onMessage(messages::add));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> messages.stream().filter("ready"::equals).count() == 3);
        assertEquals(1, Children.childJvms().size());
        for (int i = 0; i < 3; i++) {
            gates.get(i).send("m" + i);
        }
        for (TaskHandle<Integer> gate : gates) {
            assertEquals(1, gate.join());
        }
        assertTrue(messages.containsAll(List.of("echo:m0", "echo:m1", "echo:m2")), messages.toString());
    }

    @Test
    void prestartedWorkersStartBeforeAnyTask() {
        JvmPool pool = pool(JvmPool.builder().workers(2).prestart(2));
        await().atMost(Duration.ofSeconds(30)).until(() -> Children.childJvms().size() == 2);
        assertEquals(0, pool.stats().submitted());
    }

    @Test
    void aJsonChannelCarriesTypedMessagesBothWays() throws Exception {
        JvmPool pool = pool(JvmPool.builder().workers(1));
        TaskHandle<Integer> handle = pool.submit(ScaleTask.class, 3);
        try (JsonChannel<Point> points = JsonChannel.toTask(handle, Point.class, 16)) {
            for (int i = 1; i <= 3; i++) {
                points.send(new Point(i, -i));
                assertEquals(new Point(i * 10, -i * 10), points.receive());
            }
        }
        assertEquals(3, handle.join());
    }

    @Test
    void aClassPathLongerThanACommandLineGoesThroughAnArgumentFile() {
        List<String> classpath = new ArrayList<>(List.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator)));
        for (int i = 0; i < 3000; i++) {
            classpath.add("/nonexistent/parx/a-rather-long-directory-name-for-entry-" + i);
        }
        JvmPool pool = pool(JvmPool.builder().workers(1).classpath(classpath));
        assertEquals("through @file", pool.submit(EchoTask.class, "through @file").join());
    }

    @Test
    void badSettingsAreRefusedWithTheirName() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> JvmPool.builder().tasksPerWorker(0))
                .getMessage().contains("tasksPerWorker"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> JvmPool.builder().jvmOptions("Xmx1g"))
                .getMessage().contains("Xmx1g"));
        assertTrue(assertThrows(IllegalStateException.class, () -> JvmPool.builder().maxTasksPerWorker(1).maxTasksPerWorker(2))
                .getMessage().contains("maxTasksPerWorker"));
        assertThrows(IllegalArgumentException.class, () -> JvmPool.builder().javaExecutable(java.nio.file.Path.of("/nonexistent/java")));
    }
}
