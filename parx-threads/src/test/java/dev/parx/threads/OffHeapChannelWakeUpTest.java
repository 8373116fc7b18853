package dev.parx.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parx.Codecs;
import dev.parx.testkit.TestThreads;
import dev.parx.threads.internal.MpscRing;
import dev.parx.threads.internal.SpscRing;
import dev.parx.threads.internal.WakeUps;
import dev.parx.threads.internal.WakeUpsSkippingTheReceiveWakeUp;
import dev.parx.threads.internal.WakeUpsSkippingTheSendWakeUp;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The blocking wake-ups of {@link OffHeapChannel}, end to end: a receiver parked on an empty
 * channel is woken by a send, and a sender parked on a full channel is woken by the receives that
 * make room. The channels here park at once (no spinning, no yielding) and their parks are
 * unbounded ({@link WakeUps#WakeUps(boolean, boolean)}), so that only a wake-up ends one: the
 * bounded parks of the real channel would deliver a message whose wake-up was lost a little
 * later, and hide it. Each round starts its waiter, waits until it is parked on the channel, and
 * only then sends or receives; the race between a waiter's announcement and the other side, which
 * the bounds cover and which {@code RingOutcomes.ReceiverWakeUp} and
 * {@code RingOutcomes.SenderWakeUp} show, is thus left out on purpose (with unbounded parks it
 * would hang the real channel too). The outcome forbidden: the other side's call returned
 * {@link #PATIENCE} ago and the waiter is still parked.
 *
 * <p>The copies broken on purpose ({@link WakeUpsSkippingTheSendWakeUp},
 * {@link WakeUpsSkippingTheReceiveWakeUp}) must be caught; their checks run with the proofs, since
 * each waits out {@link #PATIENCE} once.
 */
class OffHeapChannelWakeUpTest {

    private static final Duration PATIENCE = Duration.ofSeconds(5);
    private static final int ROUNDS = 1_000;
    private static final int CAPACITY = 256;
    private static final IdleStrategy PARK_AT_ONCE = IdleStrategy.backoff(0, 0, Duration.ofHours(1));

    private final TestThreads threads = new TestThreads("channel-wake-up");

    @AfterEach
    void stopThreads() throws InterruptedException {
        threads.stopAll();
    }

    private static OffHeapChannel<Long> channel(String kind, WakeUps wakeUps) {
        return new OffHeapChannel<>(kind, CAPACITY, Codecs.longs(), PARK_AT_ONCE,
                "spsc".equals(kind) ? SpscRing::new : MpscRing::new, wakeUps);
    }

    @ParameterizedTest
    @ValueSource(strings = {"spsc", "mpsc"})
    @Timeout(60)
    void aReceiverParkedOnAnEmptyChannelIsWokenByASend(String kind) throws Exception {
        assertNull(receiverLostWakeUp(channel(kind, new WakeUps(true, true))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"spsc", "mpsc"})
    @Timeout(60)
    void aSenderParkedOnAFullChannelIsWokenByTheReceivesThatMakeRoom(String kind) throws Exception {
        assertNull(senderLostWakeUp(channel(kind, new WakeUps(true, true))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"spsc", "mpsc"})
    @Tag("proofs")
    @Timeout(60)
    void catchesASendThatWakesNobody(String kind) throws Exception {
        assertCaught(receiverLostWakeUp(channel(kind, new WakeUpsSkippingTheSendWakeUp())));
    }

    @ParameterizedTest
    @ValueSource(strings = {"spsc", "mpsc"})
    @Tag("proofs")
    @Timeout(60)
    void catchesAReceiveThatWakesNobody(String kind) throws Exception {
        assertCaught(senderLostWakeUp(channel(kind, new WakeUpsSkippingTheReceiveWakeUp())));
    }

    private static void assertCaught(String outcome) {
        assertNotNull(outcome, "no lost wake-up seen");
        assertTrue(outcome.contains("lost wake-up"), outcome);
        System.out.println("caught: " + outcome);
    }

    /** Rounds of a parked receiver and a send; the forbidden outcome described, or null. */
    private String receiverLostWakeUp(OffHeapChannel<Long> channel) throws Exception {
        long began = System.nanoTime();
        try (channel) {
            for (int round = 0; round < ROUNDS; round++) {
                CompletableFuture<Long> received = threads.start(channel::receive);
                Thread receiver = threads.last();
                awaitParkedOnTheChannel(receiver);
                assertTrue(channel.trySend((long) round));
                try {
                    assertEquals(round, received.get(PATIENCE.toNanos(), TimeUnit.NANOSECONDS));
                } catch (TimeoutException e) {
                    return describe(channel, receiver, "the receiver", "a message sent", round);
                }
            }
        }
        System.out.printf("%s: %d parked receivers woken by a send in %d ms%n",
                channel, ROUNDS, (System.nanoTime() - began) / 1_000_000);
        return null;
    }

    /** Rounds of a sender parked on a full channel and the receives that empty it; the forbidden outcome described, or null. */
    private String senderLostWakeUp(OffHeapChannel<Long> channel) throws Exception {
        long began = System.nanoTime();
        try (channel) {
            for (int round = 0; round < ROUNDS; round++) {
                AtomicInteger filled = new AtomicInteger();
                CompletableFuture<Void> sent = threads.start(() -> {
                    while (channel.trySend((long) filled.get())) {
                        filled.incrementAndGet();
                    }
                    channel.send(-1L);
                    return null;
                });
                Thread sender = threads.last();
                awaitParkedOnTheChannel(sender);
                int messages = filled.get();
                assertTrue(messages > 1, "the channel holds several messages");
                for (long i = 0; i < messages; i++) {
                    assertEquals(i, channel.poll(Duration.ZERO));
                }
                try {
                    sent.get(PATIENCE.toNanos(), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    return describe(channel, sender, "the sender", "room made", round);
                }
                assertEquals(-1L, channel.poll(Duration.ZERO));
            }
        }
        System.out.printf("%s: %d parked senders woken by the receives in %d ms%n",
                channel, ROUNDS, (System.nanoTime() - began) / 1_000_000);
        return null;
    }

    private static void awaitParkedOnTheChannel(Thread thread) {
        Awaitility.await().atMost(PATIENCE).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                .until(() -> LockSupport.getBlocker(thread) instanceof WakeUps);
    }

    private static String describe(OffHeapChannel<Long> channel, Thread waiter, String who, String what, int round) {
        boolean parked = LockSupport.getBlocker(waiter) instanceof WakeUps;
        return (parked ? "lost wake-up" : "slow waiter") + " on the " + channel + " in round " + (round + 1) + " of "
                + ROUNDS + ": " + what + " " + PATIENCE.toSeconds() + " s ago, " + who + " "
                + (parked ? "still parked on it (" + waiter.getState() + ")" : "not parked but not done");
    }
}
