package dev.parx.engine;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parx.PoolBuilder;
import dev.parx.PoolStats;
import dev.parx.Task;
import dev.parx.TaskContext;
import dev.parx.TaskHandle;
import dev.parx.TaskOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link WorkerContext#retire}: a worker done with its work is replaced, its executions finish, nothing crashes. */
@Timeout(60)
public class RetireTest {

    /** Returns the id of the worker that ran it. */
    public static final class Where implements Task<String, String> {
        @Override
        public String run(String input, TaskContext context) {
            return context.workerId();
        }
    }

    static volatile CountDownLatch release = new CountDownLatch(0);
    static final AtomicInteger HOLDING = new AtomicInteger();

    /** Waits for {@link #release}, then returns the id of the worker that ran it. */
    public static final class HoldWhere implements Task<String, String> {
        @Override
        public String run(String input, TaskContext context) throws InterruptedException {
            HOLDING.incrementAndGet();
            release.await();
            return context.workerId();
        }
    }

    /** Only for its validated settings. */
    static final class Settings extends PoolBuilder<Settings, EnginePool> {
        dev.parx.PoolSettings validated() {
            return settings();
        }

        @Override
        public EnginePool build() {
            throw new UnsupportedOperationException();
        }
    }

    /** Workers that run elsewhere (as a child JVM does), and retire after {@code retireAfter} executions if above 0. */
    static final class Workers implements WorkerFactory {
        final int capacity;
        final int retireAfter;
        final List<WorkerContext> contexts = new CopyOnWriteArrayList<>();
        final List<String> closed = new CopyOnWriteArrayList<>();

        Workers(int capacity, int retireAfter) {
            this.capacity = capacity;
            this.retireAfter = retireAfter;
        }

        @Override
        public Worker start(WorkerContext context) {
            contexts.add(context);
            ElsewherePool.ElsewhereWorker elsewhere = new ElsewherePool.ElsewhereWorker(context, capacity);
            AtomicInteger executed = new AtomicInteger();
            return new Worker() {
                @Override
                public boolean stopsInPlace() {
                    return true;
                }

                @Override
                public void execute(Execution execution) {
                    elsewhere.execute(execution);
                    if (retireAfter > 0 && executed.incrementAndGet() == retireAfter) {
                        context.retire("served " + retireAfter + " tasks");
                    }
                }

                @Override
                public void stop(Execution execution, boolean interrupt) {
                    elsewhere.stop(execution, interrupt);
                }

                @Override
                public void close() {
                    elsewhere.close();
                    closed.add(context.workerId());
                }
            };
        }

        @Override
        public int workerCapacity() {
            return capacity;
        }
    }

    private final List<PoolEngine> engines = new ArrayList<>();

    private PoolEngine engine(Settings settings, WorkerFactory factory) {
        PoolEngine engine = new PoolEngine(settings.validated(), factory);
        engines.add(engine);
        return engine;
    }

    @AfterEach
    void closeEngines() throws InterruptedException {
        release.countDown();
        for (PoolEngine engine : engines) {
            engine.shutdownNow();
            assertTrue(engine.awaitTermination(Duration.ofSeconds(30)), "not terminated: " + engine);
        }
    }

    @Test
    void aWorkerThatRetiresIsReplacedAndCountsAsRecycledNotCrashed() {
        ConcurrentLinkedQueue<RecordedEvent> events = new ConcurrentLinkedQueue<>();
        try (RecordingStream stream = new RecordingStream()) {
            for (String name : List.of("WorkerRecycled", "WorkerCrashed")) {
                stream.enable("dev.parx." + name);
                stream.onEvent("dev.parx." + name, events::add);
            }
            stream.startAsync();
            Workers workers = new Workers(1, 3);
            PoolEngine engine = engine(new Settings().name("retire-after").workers(1), workers);
            List<String> where = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                where.add(engine.submit(Where.class, "w" + i, TaskOptions.defaults()).join());
            }
            // Three tasks a worker: 1-3, 4-6, 7-9 and 10, each on a worker of its own, in turn.
            for (int i = 0; i < 10; i++) {
                assertEquals("parx-retire-after-" + (i / 3 + 1), where.get(i), "task " + i);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> engine.stats().workersRecycled() == 3);
            PoolStats stats = engine.stats();
            assertEquals(0, stats.workersCrashed());
            assertEquals(10, stats.completed());
            assertEquals(0, stats.failed());
            assertEquals(List.of("parx-retire-after-1", "parx-retire-after-2", "parx-retire-after-3"),
                    workers.closed);
            await().atMost(Duration.ofSeconds(10)).until(() -> events.stream()
                    .filter(e -> e.getEventType().getName().equals("dev.parx.WorkerRecycled")
                            && "retire-after".equals(e.getString("pool"))
                            && "served 3 tasks".equals(e.getString("reason"))).count() == 3);
            assertFalse(events.stream().anyMatch(e -> e.getEventType().getName().equals("dev.parx.WorkerCrashed")
                    && "retire-after".equals(e.getString("pool"))));
        }
    }

    @Test
    void executionsInFlightFinishOnTheRetiringWorkerWhichTakesNoNewOne() throws Exception {
        release = new CountDownLatch(1);
        HOLDING.set(0);
        Workers workers = new Workers(2, 0);
        PoolEngine engine = engine(new Settings().name("retire-drain").workers(1), workers);
        TaskHandle<String> first = engine.submit(HoldWhere.class, "a", TaskOptions.defaults());
        TaskHandle<String> second = engine.submit(HoldWhere.class, "b", TaskOptions.defaults());
        await().atMost(Duration.ofSeconds(10)).until(() -> HOLDING.get() == 2);
        workers.contexts.getFirst().retire("done");     // from another thread than the engine's
        TaskHandle<String> third = engine.submit(Where.class, "c", TaskOptions.defaults());
        // The retiring worker keeps its place among maxWorkers while it drains: the third task waits.
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> !third.isDone());
        assertEquals(1, engine.stats().queued());
        assertEquals(List.of(), workers.closed);
        assertFalse(first.isDone() || second.isDone(), "executions in flight are not stopped");

        release.countDown();
        assertEquals("parx-retire-drain-1", first.join());
        assertEquals("parx-retire-drain-1", second.join());
        assertEquals("parx-retire-drain-2", third.get(10, TimeUnit.SECONDS));
        assertEquals(List.of("parx-retire-drain-1"), workers.closed);
        PoolStats stats = engine.stats();
        assertEquals(1, stats.workersRecycled());
        assertEquals(0, stats.workersCrashed());
        assertEquals(0, stats.failed() + stats.cancelled());
    }

    @Test
    void anIdleWorkerThatRetiresLeavesAtOnceAndTheMinimumIsKept() {
        Workers workers = new Workers(1, 0);
        PoolEngine engine = engine(new Settings().name("retire-idle").workers(1), workers);
        engine.prestart(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> workers.contexts.size() == 1);
        WorkerContext idle = workers.contexts.getFirst();
        idle.retire("done early");
        idle.retire("twice changes nothing");
        await().atMost(Duration.ofSeconds(10)).until(() -> workers.closed.size() == 1 && workers.contexts.size() == 2
                && engine.stats().workers() == 1);
        assertEquals(1, engine.stats().workersRecycled());
        String next = engine.submit(Where.class, "x", TaskOptions.defaults()).join();
        assertNotEquals(idle.workerId(), next);
        assertEquals(Set.of("parx-retire-idle-2"), new HashSet<>(List.of(next)));
    }

    @Test
    void aWorkerThatDiesAfterRetiringCountsAsCrashed() {
        release = new CountDownLatch(1);
        HOLDING.set(0);
        Workers workers = new Workers(1, 0);
        PoolEngine engine = engine(new Settings().name("retire-dies").workers(1), workers);
        TaskHandle<String> held = engine.submit(HoldWhere.class, "a", TaskOptions.defaults());
        await().atMost(Duration.ofSeconds(10)).until(() -> HOLDING.get() == 1);
        WorkerContext context = workers.contexts.getFirst();
        context.retire("done");
        context.died("killed while it drained", 137, List.of());
        await().atMost(Duration.ofSeconds(10)).until(held::isDone);
        assertEquals(Future.State.FAILED, held.state());
        context.retire("after death changes nothing");
        await().atMost(Duration.ofSeconds(10)).until(() -> workers.closed.size() == 1);
        assertEquals(1, engine.stats().workersCrashed());
        assertEquals(0, engine.stats().workersRecycled());
    }
}
