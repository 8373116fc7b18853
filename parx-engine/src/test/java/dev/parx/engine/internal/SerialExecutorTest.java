package dev.parx.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class SerialExecutorTest {

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void actionsFromManyThreadsRunOneAtATimeAndEachThreadsInOrder() throws InterruptedException {
        SerialExecutor executor = new SerialExecutor();
        int threads = 4;
        int perThread = 20_000;
        List<List<Integer>> seen = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            seen.add(new ArrayList<>());
        }
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    int value = i;
                    executor.execute(() -> {
                        if (inside.incrementAndGet() != 1) {
                            overlaps.incrementAndGet();
                        }
                        seen.get(id).add(value);   // unsynchronised on purpose: serial execution makes it safe
                        inside.decrementAndGet();
                    });
                }
            }));
        }
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        assertEquals(0, overlaps.get());
        for (List<Integer> values : seen) {
            assertEquals(perThread, values.size());
            for (int i = 0; i < perThread; i++) {
                assertEquals(i, values.get(i));
            }
        }
    }

    @Test
    void aThrowingActionDoesNotStopTheNext() {
        SerialExecutor executor = new SerialExecutor();
        AtomicInteger ran = new AtomicInteger();
        executor.execute(() -> {
            throw new IllegalStateException("listener bug (expected in this test)");
        });
        executor.execute(ran::incrementAndGet);
        assertTrue(ran.get() == 1);
    }
}
