package dev.parx.engine;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parx.PoolBuilder;
import dev.parx.Task;
import dev.parx.TaskContext;
import dev.parx.TaskHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link EnginePool#terminated()}: once, after every task and worker, before the pool counts as terminated. */
@Timeout(60)
public class TerminationHookTest {

    /** Returns its input. */
    public static final class Echo implements Task<String, String> {
        @Override
        public String run(String input, TaskContext context) {
            return input;
        }
    }

    static volatile CountDownLatch hold = new CountDownLatch(0);

    /** Waits for {@link #hold}, or its interrupt. */
    public static final class Hold implements Task<String, String> {
        @Override
        public String run(String input, TaskContext context) throws InterruptedException {
            hold.await();
            return input;
        }
    }

    /** A thread pool that records what its hook saw. */
    static final class HookPool extends EnginePool {
        final AtomicInteger calls = new AtomicInteger();
        final AtomicReference<String> thread = new AtomicReference<>();
        final AtomicReference<Boolean> terminatedInside = new AtomicReference<>();
        final AtomicInteger workersOpenInside = new AtomicInteger(-1);
        final List<TaskHandle<?>> handles = new ArrayList<>();
        final AtomicReference<Boolean> handlesDoneInside = new AtomicReference<>();
        final AtomicInteger open;
        private final Consumer<HookPool> extra;

        private HookPool(PoolEngine engine, AtomicInteger open, Consumer<HookPool> extra) {
            super(engine);
            this.open = open;
            this.extra = extra;
        }

        static HookPool of(String name, int workers, Consumer<HookPool> extra) {
            AtomicInteger open = new AtomicInteger();
            WorkerFactory counting = context -> {
                open.incrementAndGet();
                Thread engineThread = Thread.currentThread();
                return new Worker() {
                    @Override
                    public boolean stopsInPlace() {
                        return false;
                    }

                    @Override
                    public void execute(Execution execution) {
                        context.runHere(execution);
                    }

                    @Override
                    public void stop(Execution execution, boolean interrupt) {
                        if (interrupt) {
                            engineThread.interrupt();   // retired: nothing else runs on it
                        }
                    }

                    @Override
                    public void close() {
                        open.decrementAndGet();
                    }
                };
            };
            return new HookPool(new PoolEngine(new Settings().name(name).workers(workers).validated(), counting),
                    open, extra);
        }

        <O> TaskHandle<O> track(TaskHandle<O> handle) {
            synchronized (handles) {
                handles.add(handle);
            }
            return handle;
        }

        @Override
        protected void terminated() {
            calls.incrementAndGet();
            thread.set(Thread.currentThread().getName());
            terminatedInside.set(isTerminated());
            workersOpenInside.set(open.get());
            synchronized (handles) {
                handlesDoneInside.set(handles.stream().allMatch(TaskHandle::isDone));
            }
            extra.accept(this);
        }
    }

    /** Only for its validated settings. */
    static final class Settings extends PoolBuilder<Settings, HookPool> {
        dev.parx.PoolSettings validated() {
            return settings();
        }

        @Override
        public HookPool build() {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void closeRunsTheHookOnceAfterTasksAndWorkersAndReturnsAfterIt() throws Exception {
        HookPool pool = HookPool.of("hook-close", 2, p -> { });
        for (int i = 0; i < 20; i++) {
            pool.track(pool.submit(Echo.class, "e" + i));
        }
        pool.close();
        assertEquals(1, pool.calls.get());
        assertEquals(Boolean.TRUE, pool.handlesDoneInside.get());
        assertEquals(0, pool.workersOpenInside.get(), "every worker was closed before the hook");
        assertEquals(Boolean.FALSE, pool.terminatedInside.get(), "the pool is terminated only after its hook");
        assertTrue(pool.isTerminated());
        pool.close();
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(Duration.ofSeconds(1)));
        assertEquals(1, pool.calls.get(), "once, however often the pool is closed");
    }

    @Test
    void aPoolThatNeverStartedAWorkerRunsItOnTheClosingThread() {
        HookPool pool = HookPool.of("hook-idle", 1, p -> { });
        pool.close();
        assertEquals(1, pool.calls.get());
        assertEquals(Thread.currentThread().getName(), pool.thread.get());
    }

    @Test
    void shutdownNowAloneRunsItOnceItsTaskEnded() {
        hold = new CountDownLatch(1);
        HookPool pool = HookPool.of("hook-now", 1, p -> { });
        TaskHandle<String> running = pool.track(pool.submit(Hold.class, "h"));
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.stats().active() == 1);
        pool.shutdownNow();
        assertInstanceOf(CancellationException.class, assertThrows(Exception.class, running::join));
        // Nobody waits for termination: the engine thread that leaves last runs the hook, or this
        // thread, if the engine thread had left before the cancel it sent finished.
        await().atMost(Duration.ofSeconds(10)).until(pool::isTerminated);
        assertEquals(1, pool.calls.get());
        String ranOn = pool.thread.get();
        assertTrue(ranOn.startsWith("parx-hook-now-") || ranOn.equals(Thread.currentThread().getName()), ranOn);
        assertEquals(Boolean.TRUE, pool.handlesDoneInside.get());
        assertEquals(0, pool.workersOpenInside.get());
    }

    @Test
    void aHookThatThrowsIsLoggedAndThePoolTerminatesAllTheSame() throws Exception {
        HookPool pool = HookPool.of("hook-throws", 1, p -> {
            throw new IllegalStateException("cannot release");
        });
        assertEquals("x", pool.submit(Echo.class, "x").join());
        pool.close();
        assertEquals(1, pool.calls.get());
        assertTrue(pool.isTerminated());
        assertTrue(pool.awaitTermination(Duration.ofSeconds(1)));
    }

    @Test
    void aHookThatWaitsForTerminationIsRefusedInsteadOfHanging() {
        AtomicReference<Throwable> refused = new AtomicReference<>();
        HookPool pool = HookPool.of("hook-waits", 1, p -> {
            try {
                p.close();
            } catch (Throwable e) {
                refused.set(e);
            }
        });
        pool.close();
        assertInstanceOf(IllegalStateException.class, refused.get());
        assertTrue(pool.isTerminated());
    }

    @Test
    void anEngineThatTerminatedCannotBeGivenToAPool() {
        PoolEngine engine = new PoolEngine(new Settings().name("hook-late").validated(), WorkerFactory.sameThread());
        engine.close();
        IllegalStateException late = assertThrows(IllegalStateException.class,
                () -> new HookPool(engine, new AtomicInteger(), p -> { }));
        assertTrue(late.getMessage().contains("hook-late"), late.getMessage());
    }
}
