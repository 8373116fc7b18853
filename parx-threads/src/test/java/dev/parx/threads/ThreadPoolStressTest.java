package dev.parx.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parx.FullQueuePolicy;
import dev.parx.PoolStats;
import dev.parx.RejectedTaskException;
import dev.parx.TaskHandle;
import dev.parx.TaskOptions;
import dev.parx.TaskTimeoutException;
import dev.parx.testkit.tasks.EchoTask;
import dev.parx.testkit.tasks.EmitMessagesTask;
import dev.parx.testkit.tasks.SleepUntilCancelledTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Many submitters, cancels and timeouts at once: every handle completes and the counts add up. */
@Tag("stress")
class ThreadPoolStressTest {

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void concurrentSubmitCancelAndTimeoutLoseNothing() throws InterruptedException {
        int submitters = 8;
        int perSubmitter = 50_000;
        ThreadPool pool = ThreadPool.builder().name("stress").minWorkers(1).maxWorkers(4)
                .idleTimeout(Duration.ofMillis(5)).maxQueue(256).onFullQueue(FullQueuePolicy.BLOCK).build();
        ConcurrentLinkedQueue<TaskHandle<?>> handles = new ConcurrentLinkedQueue<>();
        AtomicLong cancelledByUs = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < submitters; s++) {
            threads.add(Thread.ofPlatform().name("submitter-" + s).start(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < perSubmitter; i++) {
                    TaskHandle<?> handle = switch (random.nextInt(10)) {
                        case 0 -> pool.submit(SleepUntilCancelledTask.class, 60_000L,
                                TaskOptions.timeout(Duration.ofMillis(1 + random.nextInt(3))));
                        case 1 -> pool.submit(EmitMessagesTask.class, 10);
                        default -> pool.submit(EchoTask.class, "m" + i);
                    };
                    if (random.nextInt(20) == 0 && handle.cancel(true)) {
                        cancelledByUs.incrementAndGet();
                    }
                    handles.add(handle);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        long timedOut = 0;
        for (TaskHandle<?> handle : handles) {
            try {
                handle.join();
            } catch (CancellationException expected) {
                // counted by the submitters
            } catch (TaskTimeoutException expected) {
                timedOut++;
            } catch (CompletionException e) {
                throw new AssertionError(e);
            }
        }
        pool.close();
        PoolStats stats = pool.stats();
        long total = (long) submitters * perSubmitter;
        assertEquals(total, handles.size());
        assertEquals(total, stats.submitted());
        assertEquals(0, stats.pending());
        assertEquals(total, stats.completed() + stats.failed() + stats.cancelled(), stats.toString());
        assertEquals(cancelledByUs.get(), stats.cancelled());
        assertEquals(timedOut, stats.timedOut());
        assertTrue(pool.isTerminated());
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.isAlive() && t.getName().startsWith("parx-stress-")));
    }

    /**
     * Submitters racing {@code shutdown()} or {@code shutdownNow()}: every submit either returns a
     * handle that completes or throws {@link RejectedTaskException}; the pool terminates, and the
     * counts add up. An accepted task is never stranded behind the pool's end.
     */
    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void submitsRacingShutdownAreRunOrRejectedNeverStranded() throws InterruptedException {
        long racedRounds = 0;   // rounds where the shutdown came between accepted and rejected submits
        for (int round = 0; round < 300; round++) {
            boolean now = round % 2 == 1;
            ThreadPool pool = ThreadPool.builder().name("race-shutdown").minWorkers(round % 3).maxWorkers(3)
                    .idleTimeout(Duration.ofMillis(1)).build();
            ConcurrentLinkedQueue<TaskHandle<?>> handles = new ConcurrentLinkedQueue<>();
            AtomicLong rejected = new AtomicLong();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int s = 0; s < 3; s++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < 2_000; i++) {
                        try {
                            handles.add(pool.submit(EchoTask.class, "r"));
                        } catch (RejectedTaskException e) {
                            rejected.incrementAndGet();
                        }
                    }
                }));
            }
            go.countDown();
            Thread.yield();
            if (now) {
                pool.shutdownNow();
            } else {
                pool.close();
            }
            for (Thread thread : threads) {
                thread.join();
            }
            assertTrue(pool.awaitTermination(Duration.ofSeconds(60)), "round " + round + ": " + pool.stats());
            for (TaskHandle<?> handle : handles) {
                try {
                    assertEquals("r", handle.join());
                } catch (CancellationException e) {
                    assertTrue(now, "round " + round + ": only shutdownNow cancels");
                }
            }
            PoolStats stats = pool.stats();
            assertEquals(handles.size(), stats.submitted(), "round " + round + ": " + stats);
            assertEquals(rejected.get(), stats.rejected(), "round " + round + ": " + stats);
            assertEquals(0, stats.pending(), "round " + round + ": " + stats);
            assertEquals(6_000, handles.size() + rejected.get());
            if (rejected.get() > 0 && !handles.isEmpty()) {
                racedRounds++;
            }
        }
        assertTrue(racedRounds > 0, "the shutdown never raced the submits; the test proves nothing");
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.isAlive() && t.getName().startsWith("parx-race-shutdown-")));
    }

    /**
     * A cooperative task that sees its stop request and returns at once must not beat the
     * timeout or the cancel that asked it to stop.
     */
    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void aTaskThatStopsWhenAskedNeverWinsAgainstItsTimeoutOrCancel() {
        for (boolean virtual : new boolean[] {false, true}) {
            ThreadPool.Builder builder = ThreadPool.builder().name("race" + virtual).workers(2);
            try (ThreadPool pool = (virtual ? builder.virtualThreads() : builder).build()) {
                for (int round = 0; round < 2_000; round++) {
                    TaskHandle<String> timed = pool.submit(SleepUntilCancelledTask.class, 60_000L,
                            TaskOptions.timeout(Duration.ofMillis(1)));
                    try {
                        throw new AssertionError("round " + round + ": returned " + timed.join());
                    } catch (TaskTimeoutException expected) {
                        // the only acceptable outcome
                    }
                    TaskHandle<String> cancelled = pool.submit(SleepUntilCancelledTask.class, 60_000L);
                    dev.parx.testkit.Listened.of(cancelled).awaitMessage("started");
                    assertTrue(cancelled.cancel(true), "round " + round);
                }
            }
        }
    }
}
