package dev.parx.threads.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parx.testkit.TestThreads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The wake-up protocol on its own: a receiver whose wake-up raced with its announcement still
 * finds the message, however many of its checks missed it, since its parks are bounded; parked threads, given no time limit, are woken by a send, by the receiver
 * reaching their wake position, and by a close; sender parks are bounded.
 */
class WakeUpsTest {

    private final TestThreads threads = new TestThreads("wake-ups-test");

    @AfterEach
    void stopThreads() throws InterruptedException {
        threads.stopAll();
    }

    /** Ready from the {@code after}-th check on: the store of the other side arrives that late. */
    private static BooleanSupplier readyFromCheck(int after, AtomicInteger checks) {
        return () -> checks.incrementAndGet() >= after;
    }

    @Test
    @Timeout(30)
    void aReceiverWhoseRecheckMissedARacingCommitFindsItAfterItsFirstPark() throws Exception {
        // the re-check right after publishing misses the commit, and its sender missed the flag: nobody unparks
        assertReceivedWithoutAWakeUp(2, false);
    }

    @Test
    @Timeout(30)
    void aReceiverThatNoSendWakesStillFindsTheMessageWhenItsFirstParkEndedEarly() throws Exception {
        // A permit left by an earlier wake-up ends the first park at once, and the commit is not
        // visible to the next checks either: only the bound on every park brings the receiver back.
        assertReceivedWithoutAWakeUp(6, true);
    }

    /**
     * Runs the receiver's loop of the channel, parks bounded by {@link WakeUps#receiverParkBound},
     * against a commit that its checks see only from the {@code visibleFrom}-th on and that wakes
     * nobody, and asserts the receiver finds it.
     */
    private void assertReceivedWithoutAWakeUp(int visibleFrom, boolean leftOverPermit) throws Exception {
        WakeUps wakeUps = new WakeUps(true);
        AtomicInteger checks = new AtomicInteger();
        BooleanSupplier ready = readyFromCheck(visibleFrom, checks);
        CompletableFuture<Integer> received = threads.start(() -> {
            if (leftOverPermit) {
                LockSupport.unpark(Thread.currentThread());
            }
            for (int parks = 0; checks.get() < visibleFrom; parks++) {
                wakeUps.parkReceiver(ready, WakeUps.receiverParkBound(parks), parks == 0);
            }
            wakeUps.receiverDone();
            return checks.get();
        });
        assertTrue(received.get(20, TimeUnit.SECONDS) >= visibleFrom);
    }

    @Test
    void aReceiverParksBrieflyAfterPublishingThenTwiceAsLongEachTimeUpToItsLimit() {
        assertEquals(WakeUps.RECHECK_NANOS, WakeUps.receiverParkBound(0));
        assertEquals(2 * WakeUps.RECHECK_NANOS, WakeUps.receiverParkBound(1));
        assertEquals(WakeUps.MAX_RECEIVER_PARK_NANOS, WakeUps.receiverParkBound(12));
        assertEquals(WakeUps.MAX_RECEIVER_PARK_NANOS, WakeUps.receiverParkBound(Integer.MAX_VALUE));
    }

    @Test
    @Timeout(30)
    void sendersAreWokenTogetherOnceTheHeadReachesTheLowestPositionPublished() throws Exception {
        WakeUps wakeUps = new WakeUps(true);
        AtomicBoolean room = new AtomicBoolean();
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (long wakeAt : new long[] {1_000, 900, 950}) {
            sent.add(threads.start(() -> {
                wakeUps.senderWaits();
                while (!room.get()) {
                    wakeUps.parkSender(room::get, Long.MAX_VALUE, wakeAt);   // no bound: only a wake-up ends it
                }
                wakeUps.senderDone();
                return null;
            }));
            awaitParked(threads.last());
        }
        room.set(true);
        wakeUps.afterReceive(900);
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
    }

    @Test
    void aSenderParksBrieflyAfterPublishingThenLongerUpToItsPhasesLimit() {
        assertEquals(WakeUps.RECHECK_NANOS, WakeUps.senderParkBound(0, true));
        assertEquals(2 * WakeUps.RECHECK_NANOS, WakeUps.senderParkBound(1, false));
        assertEquals(WakeUps.MAX_BATCH_PARK_NANOS, WakeUps.senderParkBound(10, true));
        assertEquals(WakeUps.MAX_SENDER_PARK_NANOS, WakeUps.senderParkBound(100, false));
    }

    @Test
    @Timeout(30)
    void theNextSendWakesAParkedReceiver() throws Exception {
        WakeUps wakeUps = new WakeUps(true);
        AtomicBoolean committed = new AtomicBoolean();
        CompletableFuture<Void> received = threads.start(() -> {
            for (int parks = 0; !committed.get(); parks++) {
                wakeUps.parkReceiver(committed::get, Long.MAX_VALUE, parks == 0);
            }
            wakeUps.receiverDone();
            return null;
        });
        Thread receiver = threads.last();
        awaitParked(receiver);
        committed.set(true);
        wakeUps.afterSend();
        received.get(20, TimeUnit.SECONDS);
    }

    @Test
    @Timeout(30)
    void wakeEveryoneWakesAParkedReceiver() throws Exception {
        WakeUps wakeUps = new WakeUps(true);
        AtomicBoolean closed = new AtomicBoolean();
        CompletableFuture<Void> received = threads.start(() -> {
            for (int parks = 0; !closed.get(); parks++) {
                wakeUps.parkReceiver(closed::get, Long.MAX_VALUE, parks == 0);
            }
            wakeUps.receiverDone();
            return null;
        });
        awaitParked(threads.last());
        closed.set(true);
        wakeUps.wakeEveryone();
        received.get(20, TimeUnit.SECONDS);
    }

    private static void awaitParked(Thread thread) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> thread.getState() == Thread.State.TIMED_WAITING
                || thread.getState() == Thread.State.WAITING);
    }
}
