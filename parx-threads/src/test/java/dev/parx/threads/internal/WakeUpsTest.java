package dev.parx.threads.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parx.testkit.TestThreads;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The wake-up protocol on its own: a waiter whose wake-up raced with its announcement, or whose
 * wake position is never reached, still finds what it waits for; a parked receiver, which parks
 * for good after its first short park, is woken by a send and by a close.
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
        WakeUps wakeUps = new WakeUps(true);
        AtomicInteger checks = new AtomicInteger();
        // the re-check right after publishing misses the commit, and its sender missed the flag: nobody unparks
        BooleanSupplier ready = readyFromCheck(2, checks);
        CompletableFuture<Integer> received = threads.start(() -> {
            for (int parks = 0; checks.get() < 2; parks++) {
                wakeUps.parkReceiver(ready, Long.MAX_VALUE, parks == 0);
            }
            wakeUps.receiverDone();
            return checks.get();
        });
        assertTrue(received.get(20, TimeUnit.SECONDS) >= 2);
    }

    @Test
    @Timeout(30)
    void aSenderFindsRoomByItselfWhenTheReceiverStopsShortOfItsWakePosition() throws Exception {
        WakeUps wakeUps = new WakeUps(true);
        AtomicInteger checks = new AtomicInteger();
        // room for the record appears at the fifth check; the receiver never reaches the wake position
        BooleanSupplier room = readyFromCheck(5, checks);
        CompletableFuture<Integer> sent = threads.start(() -> {
            for (int parks = 0; checks.get() < 5; parks++) {
                wakeUps.parkSender(room, Long.MAX_VALUE, 1_000, parks);
            }
            wakeUps.senderDone();
            return checks.get();
        });
        wakeUps.afterReceive(999);
        assertTrue(sent.get(20, TimeUnit.SECONDS) >= 5);
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
