package dev.parx.engine.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class HandOffTest {

    private static final Object END = new Object();

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void everyItemReachesExactlyOneConsumerAndNoConsumerSleepsThroughAnItem() throws Exception {
        HandOff handOff = new HandOff();
        int producers = 3;
        int consumers = 3;
        int perProducer = 50_000;
        BitSet[] seen = new BitSet[producers];
        for (int p = 0; p < producers; p++) {
            seen[p] = new BitSet(perProducer);
        }
        AtomicInteger duplicates = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < consumers; c++) {
            threads.add(Thread.ofPlatform().name("consumer-" + c).start(() -> {
                try {
                    while (true) {
                        Object item = handOff.take(Long.MAX_VALUE);
                        if (item == END) {
                            return;
                        }
                        long value = (Long) item;
                        BitSet bits = seen[(int) (value >>> 32)];
                        synchronized (bits) {
                            if (bits.get((int) value)) {
                                duplicates.incrementAndGet();
                            }
                            bits.set((int) value);
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        List<Thread> senders = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            long base = (long) p << 32;
            senders.add(Thread.ofPlatform().name("producer-" + p).start(() -> {
                for (int i = 0; i < perProducer; i++) {
                    handOff.offer(base | i);
                    if (i % 1000 == 0) {
                        Thread.yield();     // let consumers run dry and park now and then
                    }
                }
            }));
        }
        for (Thread sender : senders) {
            sender.join();
        }
        for (int c = 0; c < consumers; c++) {
            handOff.offer(END);
        }
        for (Thread thread : threads) {
            assertTrue(thread.join(Duration.ofSeconds(60)), thread.getName() + " slept through the end marker");
        }
        assertEquals(0, duplicates.get());
        for (BitSet bits : seen) {
            assertEquals(perProducer, bits.cardinality());
        }
        assertTrue(handOff.isEmpty());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aParkedConsumerWakesForTheNextItem() throws Exception {
        HandOff handOff = new HandOff();
        for (int round = 0; round < 200; round++) {
            CompletableFuture<Object> taken = new CompletableFuture<>();
            Thread consumer = Thread.ofPlatform().start(() -> {
                try {
                    taken.complete(handOff.take(Long.MAX_VALUE));
                } catch (InterruptedException e) {
                    taken.completeExceptionally(e);
                }
            });
            if (round % 2 == 0) {
                // Half the rounds offer only once the consumer is parked; the others race it.
                await().atMost(Duration.ofSeconds(10)).until(() -> consumer.getState() == Thread.State.WAITING);
            }
            handOff.offer(round);
            assertEquals(round, taken.get(30, TimeUnit.SECONDS));
            consumer.join();
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aTimedTakeGivesUpWithNullAndAnInterruptEndsAWait() throws Exception {
        HandOff handOff = new HandOff();
        assertNull(handOff.take(TimeUnit.MILLISECONDS.toNanos(20)));

        CountDownLatch interrupted = new CountDownLatch(1);
        Thread consumer = Thread.ofPlatform().start(() -> {
            try {
                handOff.take(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.getState() == Thread.State.WAITING);
        consumer.interrupt();
        assertTrue(interrupted.await(10, TimeUnit.SECONDS));
        consumer.join();

        // The consumer that left must not swallow the wake-up of the next item.
        CompletableFuture<Object> taken = new CompletableFuture<>();
        Thread next = Thread.ofPlatform().start(() -> {
            try {
                taken.complete(handOff.take(Long.MAX_VALUE));
            } catch (InterruptedException e) {
                taken.completeExceptionally(e);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> next.getState() == Thread.State.WAITING);
        handOff.offer("after");
        assertEquals("after", taken.get(10, TimeUnit.SECONDS));
        next.join();
        assertThrows(InterruptedException.class, () -> {
            Thread.currentThread().interrupt();
            try {
                handOff.take(Long.MAX_VALUE);
            } finally {
                Thread.interrupted();
            }
        });
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void anItemIsNotKeptAliveOnceTakenAndTheQueueRunsDry() throws Exception {
        HandOff handOff = new HandOff();
        WeakReference<Object> taken = offerAndTake(handOff);
        assertNull(handOff.poll());     // finds it dry: lets the last item go
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            System.gc();
            return taken.get() == null;
        });
    }

    private static WeakReference<Object> offerAndTake(HandOff handOff) {
        Object item = new byte[1024];
        handOff.offer(item);
        assertSame(item, handOff.poll());
        return new WeakReference<>(item);
    }
}
