package dev.parx.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parx.testkit.TestThreads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * No lost wake-up of an idle consumer of {@link HandOff}: in each of many rounds, every consumer
 * calls {@code take} once, without a time limit, while the test thread offers as many items a
 * random delay after the consumers are about to take (up to 2, 15 or 60 us), so that the offers
 * land at every step of a consumer's way into its park. A consumer that took its item waits for the next round, like a
 * worker busy with its task: the other items must reach the other consumers. The outcome
 * forbidden: the offers have returned, an item is still in the queue {@link #PATIENCE} later, and
 * a consumer is parked on the queue.
 *
 * <p>Lincheck cannot show this outcome: its model checker lets every {@code LockSupport.park}
 * outside the JDK's own classes return at once, as a spurious wake-up (Lincheck 3.7 builds its
 * parking tracker with spurious wake-ups allowed, and offers no option to turn that off), and a
 * consumer looks at the queue after each park; so a lost wake-up is never a hang there. Here the
 * park is real, and the spin and yield phases are turned off, or the spinner would take the item
 * before any consumer parks.
 *
 * <p>The copies broken on purpose ({@link HandOffWakingBeforeLinking},
 * {@link HandOffParkingWithoutALastLook}, {@link HandOffSpinnerKeepingTheWakeUp}) must be caught;
 * their checks run with the proofs, since each waits out {@link #PATIENCE} once.
 */
class HandOffWakeUpTest {

    /** How long an item may wait for a parked consumer before the wake-up counts as lost. */
    private static final Duration PATIENCE = Duration.ofSeconds(5);
    /**
     * The longest delays of the offers, each for a third of the rounds: within a consumer's first
     * steps into {@code take}, within the spinner's spinning, and past the parks.
     */
    private static final long[] DELAYS_NANOS = {2_000, 15_000, 60_000};
    /** Rounds of each check of the default run: about a second each. */
    private static final int ROUNDS = 10_000;

    private final TestThreads threads = new TestThreads("hand-off-wake-up");

    @AfterEach
    void stopThreads() throws InterruptedException {
        threads.stopAll();
    }

    @Test
    @Timeout(60)
    void aParkedConsumerIsWokenForAnItem() throws Exception {
        assertNull(lostWakeUp(new HandOff(0, 0), 1, ROUNDS));
    }

    @Test
    @Timeout(60)
    void parkedConsumersAreWokenForEveryItemWhileTheOthersAreBusy() throws Exception {
        assertNull(lostWakeUp(new HandOff(0, 0), 2, ROUNDS));
    }

    @Test
    @Timeout(60)
    void aSpinnerThatLeavesWithAnItemWakesAParkedConsumerForTheNext() throws Exception {
        assertNull(lostWakeUp(new HandOff(), 2, ROUNDS));
    }

    /** The three checks above, twenty times as long. */
    @Test
    @Tag("proofs")
    @Timeout(600)
    void noLostWakeUpInALongRun() throws Exception {
        assertNull(lostWakeUp(new HandOff(0, 0), 1, 20 * ROUNDS));
        assertNull(lostWakeUp(new HandOff(0, 0), 2, 20 * ROUNDS));
        assertNull(lostWakeUp(new HandOff(), 2, 20 * ROUNDS));
    }

    @Test
    @Tag("proofs")
    @Timeout(300)
    void catchesAProducerThatLooksForParkedConsumersBeforeLinking() throws Exception {
        assertCaught(lostWakeUp(new HandOffWakingBeforeLinking(0, 0), 1, 200_000));
    }

    @Test
    @Tag("proofs")
    @Timeout(300)
    void catchesAConsumerThatParksWithoutALastLook() throws Exception {
        assertCaught(lostWakeUp(new HandOffParkingWithoutALastLook(0, 0), 1, 200_000));
    }

    @Test
    @Tag("proofs")
    @Timeout(300)
    void catchesASpinnerThatKeepsTheWakeUpProducersSkipped() throws Exception {
        assertCaught(lostWakeUp(new HandOffSpinnerKeepingTheWakeUp(HandOff.SPINS, HandOff.YIELDS), 2, 200_000));
    }

    private static void assertCaught(String outcome) {
        assertNotNull(outcome, "no lost wake-up seen");
        assertTrue(outcome.contains("lost wake-up"), outcome);
        System.out.println("caught: " + outcome);
    }

    /**
     * Runs up to {@code rounds} rounds of {@code consumers} takes against as many offers, and
     * returns the forbidden outcome described if a round shows it (null if none does). Also checks
     * that every item was taken exactly once.
     */
    private String lostWakeUp(HandOff queue, int consumers, int rounds) throws Exception {
        CyclicBarrier start = new CyclicBarrier(consumers + 1);
        Semaphore taken = new Semaphore(0);
        AtomicInteger arrived = new AtomicInteger();
        AtomicIntegerArray counts = new AtomicIntegerArray(rounds * consumers);
        List<Thread> takers = new ArrayList<>();
        for (int c = 0; c < consumers; c++) {
            threads.start(() -> {
                for (int round = 0; round < rounds; round++) {
                    start.await();
                    // The barrier's lock may leave this thread a permit, which would end its park
                    // in take at once, like a spurious wake-up: the consumer looks again then and
                    // finds the item, so a lost wake-up would go unseen. Use it up first.
                    LockSupport.parkNanos(1);
                    arrived.incrementAndGet();
                    counts.incrementAndGet((Integer) queue.take(Long.MAX_VALUE));
                    taken.release();
                }
                return null;
            });
            takers.add(threads.last());
        }
        long began = System.nanoTime();
        for (int round = 0; round < rounds; round++) {
            start.await(PATIENCE.toNanos(), TimeUnit.NANOSECONDS);
            // From the moment the consumers are about to take: their wake-up from the barrier
            // takes longer than most delays.
            long from = System.nanoTime();
            for (int spins = 0; arrived.get() < (round + 1) * consumers; spins++) {
                if (System.nanoTime() - from > PATIENCE.toNanos()) {
                    return "slow consumer in round " + (round + 1) + ": it did not reach take";
                }
                if (spins % 64 == 63) {
                    Thread.yield();   // two cores: let a consumer that waits for one run
                } else {
                    Thread.onSpinWait();
                }
            }
            ThreadLocalRandom random = ThreadLocalRandom.current();
            long delay = random.nextLong(DELAYS_NANOS[random.nextInt(DELAYS_NANOS.length)] + 1);
            from = System.nanoTime();
            while (System.nanoTime() - from < delay) {
                Thread.onSpinWait();   // a delay, not a wait for a condition
            }
            for (int i = 0; i < consumers; i++) {
                queue.offer(round * consumers + i);
            }
            if (!taken.tryAcquire(consumers, PATIENCE.toNanos(), TimeUnit.NANOSECONDS)) {
                return describe(queue, takers, round, rounds, began);
            }
        }
        for (int i = 0; i < counts.length(); i++) {
            assertEquals(1, counts.get(i), "item " + i + " taken this many times");
        }
        assertTrue(queue.isEmpty());
        System.out.printf("%s, %d consumers: %d rounds in %d ms, no lost wake-up%n",
                queue.getClass().getSimpleName(), consumers, rounds, (System.nanoTime() - began) / 1_000_000);
        return null;
    }

    private static String describe(HandOff queue, List<Thread> takers, int round, int rounds, long began) {
        List<String> parked = new ArrayList<>();
        for (Thread taker : takers) {
            if (LockSupport.getBlocker(taker) == queue) {
                parked.add(taker.getName() + " " + taker.getState());
            }
        }
        String when = String.format("%s, round %d of %d (%d ms in)", queue.getClass().getSimpleName(),
                round + 1, rounds, (System.nanoTime() - began) / 1_000_000);
        if (!queue.isEmpty() && !parked.isEmpty()) {
            return "lost wake-up in " + when + ": an item offered " + PATIENCE.toSeconds()
                    + " s ago is still in the queue while " + parked + " parked on it";
        }
        return "slow consumer in " + when + ": queue empty " + queue.isEmpty() + ", parked " + parked;
    }
}
