package dev.parx.threads;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parx.Task;
import dev.parx.TaskFailedException;
import dev.parx.TaskHandle;
import dev.parx.testkit.Listened;
import dev.parx.testkit.tasks.EchoTask;
import dev.parx.testkit.tasks.SleepUntilCancelledTask;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ThreadPoolTest {

    private final List<ThreadPool> pools = new ArrayList<>();

    private ThreadPool track(ThreadPool pool) {
        pools.add(pool);
        return pool;
    }

    @AfterEach
    void closePools() throws InterruptedException {
        for (ThreadPool pool : pools) {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(Duration.ofSeconds(30)));
        }
    }

    @Test
    void stackOverflowFailsOnlyItsTaskAndThePoolKeepsItsSize() {
        ThreadPool pool = track(ThreadPool.builder().name("errors").workers(2).build());
        TaskFailedException failure = assertThrows(TaskFailedException.class,
                pool.submit(TestTasks.Recurse.class, 0)::join);
        assertEquals(StackOverflowError.class.getName(), failure.exceptionClassName());
        TaskFailedException oom = assertThrows(TaskFailedException.class,
                pool.submit(TestTasks.HugeArray.class, 0)::join);
        assertEquals(OutOfMemoryError.class.getName(), oom.exceptionClassName());
        assertEquals("fine", pool.submit(EchoTask.class, "fine").join());
        assertEquals(2, pool.stats().failed());
        assertTrue(pool.stats().workers() >= 1 && pool.stats().workers() <= 2, pool.stats().toString());
    }

    @Test
    void aTaskCancelledWhileQueuedLetsGoOfItsInputAtOnce() {
        ThreadPool pool = track(ThreadPool.builder().name("dropped").workers(1).build());
        TaskHandle<String> busy = pool.submit(SleepUntilCancelledTask.class, 60_000L);
        byte[] payload = new byte[1 << 20];
        WeakReference<byte[]> input = new WeakReference<>(payload);
        TaskHandle<Object> queued = pool.submit(TestTasks.Identity.class, payload);
        payload = null;   // from here on, only the pool could keep it
        assertTrue(queued.cancel(false));
        // The handle is still held and the only worker is busy, so no worker has skipped the task yet.
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            System.gc();
            return input.get() == null;
        });
        assertTrue(queued.isCancelled());
        assertFalse(busy.isDone());
        busy.cancel(true);
    }

    @Test
    void workersAreNamedAfterThePool() {
        ThreadPool pool = track(ThreadPool.builder().name("named").workers(1).build());
        assertTrue(pool.submit(TestTasks.WhoAmI.class, "").join().matches("parx-named-\\d+ platform"));
    }

    @Test
    void idleWorkersParkInsteadOfBurningACore() {
        ThreadPool pool = track(ThreadPool.builder().name("parking").workers(2).build());
        List<TaskHandle<String>> handles = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            handles.add(pool.submit(EchoTask.class, "x"));
        }
        handles.forEach(TaskHandle::join);
        await().atMost(Duration.ofSeconds(10)).until(() -> Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("parx-parking-"))
                .allMatch(thread -> thread.getState() == Thread.State.WAITING));
        assertEquals(2, pool.stats().workers());
    }

    @Test
    void virtualThreadsRunTasksWhenAskedFor() {
        ThreadPool pool = track(ThreadPool.builder().name("virtual").workers(2).virtualThreads().build());
        assertTrue(pool.submit(TestTasks.WhoAmI.class, "").join().matches("parx-virtual-\\d+ virtual"));
    }

    @Test
    void inputsAndOutputsArePassedByReference() {
        ThreadPool pool = track(ThreadPool.builder().workers(1).build());
        Object input = new Object();
        assertSame(input, pool.submit(TestTasks.Identity.class, input).join());
    }

    @Test
    void defaultWorkerCountIsTheNumberOfProcessors() {
        ThreadPool pool = track(ThreadPool.builder().build());
        int processors = Runtime.getRuntime().availableProcessors();
        List<TaskHandle<String>> gates = new ArrayList<>();
        for (int i = 0; i < processors + 1; i++) {
            gates.add(pool.submit(SleepUntilCancelledTask.class, 60_000L));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> pool.stats().busyWorkers() == processors);
        assertEquals(1, pool.stats().queued());
        gates.forEach(gate -> gate.cancel(true));
    }

    @Test
    void workersBeyondTheMinimumStopWhenIdle() {
        ThreadPool pool = track(ThreadPool.builder().name("elastic").minWorkers(0).maxWorkers(2)
                .idleTimeout(Duration.ofMillis(50)).build());
        TaskHandle<String> first = pool.submit(SleepUntilCancelledTask.class, 60_000L);
        TaskHandle<String> second = pool.submit(SleepUntilCancelledTask.class, 60_000L);
        Listened.of(first).awaitMessage("started");
        Listened.of(second).awaitMessage("started");
        assertEquals(2, pool.stats().workers());
        first.cancel(true);
        second.cancel(true);
        await().atMost(Duration.ofSeconds(30)).until(() -> pool.stats().workers() == 0);
        assertEquals("again", pool.submit(EchoTask.class, "again").join());
    }

    @Test
    void anInterruptMeantForOneTaskNeverReachesTheNext() {
        ThreadPool pool = track(ThreadPool.builder().workers(1).build());
        for (int i = 0; i < 20; i++) {
            TaskHandle<String> victim = pool.submit(SleepUntilCancelledTask.class, 60_000L);
            Listened.of(victim).awaitMessage("started");
            victim.cancel(true);
            assertFalse(pool.submit(TestTasks.StartsInterrupted.class, "").join());
        }
    }

    @Test
    void invalidProgressFailsTheTaskWithAClearMessage() {
        ThreadPool pool = track(ThreadPool.builder().workers(1).build());
        TaskFailedException failure = assertThrows(TaskFailedException.class,
                pool.submit(TestTasks.BadProgress.class, 1.5)::join);
        assertEquals(IllegalArgumentException.class.getName(), failure.exceptionClassName());
        assertTrue(failure.exceptionMessage().contains("1.5"), failure.exceptionMessage());
        assertEquals("reported", pool.submit(TestTasks.BadProgress.class, 1.0).join());
    }

    @Test
    void aMessageOfTheWrongTypeFailsTheTaskNamingBothTypes() {
        ThreadPool pool = track(ThreadPool.builder().workers(1).build());
        TaskHandle<Integer> handle = pool.submit(TestTasks.ReceiveInteger.class, "");
        Listened.of(handle).awaitMessage("ready");
        handle.send("not a number");
        TaskFailedException failure = assertThrows(TaskFailedException.class, handle::join);
        assertEquals(ClassCastException.class.getName(), failure.exceptionClassName());
        assertTrue(failure.exceptionMessage().contains("java.lang.Integer")
                && failure.exceptionMessage().contains("java.lang.String"), failure.exceptionMessage());
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void taskClassesThatCannotBeInstantiatedAreRefusedAtSubmit() {
        ThreadPool pool = track(ThreadPool.builder().workers(1).build());
        Class[] bad = {TestTasks.Hidden.class, TestTasks.NeedsArgument.class, TestTasks.Abstract.class};
        String[] reason = {"must be public", "public no-argument constructor", "abstract"};
        for (int i = 0; i < bad.length; i++) {
            Class<? extends Task<String, String>> type = bad[i];
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pool.submit(type, "x"));
            assertTrue(e.getMessage().contains(type.getName()) && e.getMessage().contains(reason[i]), e.getMessage());
        }
        assertEquals(0, pool.stats().submitted());
    }

    @Test
    void builderRefusesContradictoryOrRepeatedSettings() {
        assertThrows(IllegalArgumentException.class, () -> ThreadPool.builder().workers(0));
        assertThrows(IllegalArgumentException.class, () -> ThreadPool.builder().name("has space"));
        assertThrows(IllegalStateException.class, () -> ThreadPool.builder().name("a").name("b"));
        assertThrows(IllegalStateException.class, () -> ThreadPool.builder().workers(2).maxWorkers(3));
        assertThrows(IllegalArgumentException.class, () -> ThreadPool.builder().maxQueue(-1));
        assertThrows(IllegalArgumentException.class, () -> ThreadPool.builder().idleTimeout(Duration.ZERO));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ThreadPool.builder().minWorkers(3).maxWorkers(2).build());
        assertTrue(e.getMessage().contains("minWorkers (3)"), e.getMessage());
    }

    @Test
    void closeIsIdempotentAndLeavesNoThreads() {
        ThreadPool pool = track(ThreadPool.builder().name("idem").workers(2).build());
        assertEquals("x", pool.submit(EchoTask.class, "x").join());
        pool.close();
        pool.close();
        pool.shutdownNow();
        assertTrue(pool.isTerminated());
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.isAlive() && t.getName().startsWith("parx-idem-")));
    }
}
