package dev.parx.threads.internal;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.lang.foreign.Arena;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;
import org.openjdk.jcstress.infra.results.ZZ_Result;

/**
 * jcstress outcomes of the rings and their wake-ups, on native memory; run by {@code JcstressTest}.
 * The classes named {@code Broken...} break one line on purpose and must be reported.
 */
public final class RingOutcomes {

    private RingOutcomes() {
    }

    /** A message that the receiver sees committed is whole: the release store of the commit. */
    @JCStressTest
    @Outcome(id = "-1", expect = ACCEPTABLE, desc = "not committed yet")
    @Outcome(id = "5", expect = ACCEPTABLE, desc = "the whole message")
    @Outcome(expect = FORBIDDEN, desc = "a committed record whose payload was not all there")
    @State
    public static class SpscPublication {
        final Ring ring = new SpscRing(Arena.ofAuto(), 64);

        @Actor
        public void sender() {
            RingMessages.trySend(ring, 5);
        }

        @Actor
        public void receiver(I_Result r) {
            r.r1 = RingMessages.poll(ring);
        }
    }

    /** As {@link SpscPublication}: the release store of the header length commits an mpsc record. */
    @JCStressTest
    @Outcome(id = "-1", expect = ACCEPTABLE, desc = "not committed yet")
    @Outcome(id = "5", expect = ACCEPTABLE, desc = "the whole message")
    @Outcome(expect = FORBIDDEN, desc = "a committed record whose payload was not all there")
    @State
    public static class MpscPublication {
        final Ring ring = new MpscRing(Arena.ofAuto(), 64);

        @Actor
        public void sender() {
            RingMessages.trySend(ring, 5);
        }

        @Actor
        public void receiver(I_Result r) {
            r.r1 = RingMessages.poll(ring);
        }
    }

    /** {@link SpscPublication} on a ring that publishes its tail at the claim. */
    @JCStressTest
    @Outcome(id = "-1", expect = ACCEPTABLE, desc = "not committed yet")
    @Outcome(id = "5", expect = ACCEPTABLE, desc = "the whole message")
    @Outcome(expect = FORBIDDEN, desc = "a committed record whose payload was not all there")
    @State
    public static class BrokenSpscPublishingAtClaim {
        final Ring ring = new SpscRingPublishingAtClaim(Arena.ofAuto(), 64);

        @Actor
        public void sender() {
            RingMessages.trySend(ring, 5);
        }

        @Actor
        public void receiver(I_Result r) {
            r.r1 = RingMessages.poll(ring);
        }
    }

    /**
     * The one relaxation of the wake-up protocol, shown: a sender commits with a release store and
     * then reads whether the receiver waits (no fence between them), while the receiver publishes
     * itself, fences, and looks at the ring. Both may miss each other; the receiver's park is then
     * bounded ({@link WakeUps#RECHECK_NANOS} for the first), after which it looks again. Outcome:
     * (sender saw the receiver waiting, receiver saw the message).
     */
    @JCStressTest
    @Outcome(id = {"true, true", "true, false", "false, true"}, expect = ACCEPTABLE, desc = "at least one saw the other")
    @Outcome(id = "false, false", expect = ACCEPTABLE_INTERESTING,
            desc = "both missed: the message waits for the receiver's bounded park to end")
    @State
    public static class ReceiverWakeUp {
        final Ring ring = new SpscRing(Arena.ofAuto(), 64);
        final WakeUps wakeUps = new WakeUps(true);

        @Actor
        public void sender(ZZ_Result r) {
            RingMessages.trySend(ring, 5);
            r.r1 = wakeUps.afterSend();
        }

        @Actor
        public void receiver(ZZ_Result r) {
            wakeUps.parkReceiver(() -> {
                r.r2 = ring.hasCommitted();
                return true;   // never park: the outcome is what it saw
            }, 1, true);
        }
    }

    /**
     * The same relaxation on the senders' side: the receiver frees room (the release store of its
     * head in {@code consume}) and then reads the lowest position senders wait for, with no fence
     * between them, while a sender publishes that position (a compare-and-set: a full fence) and
     * then looks at the head, as {@code OffHeapChannel}'s receive and send do. Both may miss each
     * other; the sender's park is then bounded ({@link WakeUps#RECHECK_NANOS} for the first), after
     * which it looks again. The ring is full (four records of 16 bytes); the sender waits for room
     * for one more. Outcome: (receiver saw the sender waiting, sender saw the room).
     */
    @JCStressTest
    @Outcome(id = {"true, true", "true, false", "false, true"}, expect = ACCEPTABLE, desc = "at least one saw the other")
    @Outcome(id = "false, false", expect = ACCEPTABLE_INTERESTING,
            desc = "both missed: the room waits for the sender's bounded park to end")
    @State
    public static class SenderWakeUp {
        final Ring ring = new SpscRing(Arena.ofAuto(), 64);
        final WakeUps wakeUps = new WakeUps(true);
        final long wakeAt;

        public SenderWakeUp() {
            while (RingMessages.trySend(ring, 3)) {
                // fill it
            }
            wakeAt = ring.fitPosition(RingMessages.payloadLength(3));
        }

        @Actor
        public void receiver(ZZ_Result r) {
            r.r1 = wakeUps.afterReceive(ring.consume(ring.next()));
        }

        @Actor
        public void sender(ZZ_Result r) {
            wakeUps.senderWaits();
            wakeUps.parkSender(() -> {
                r.r2 = ring.headPosition() >= wakeAt;
                return true;   // never park: the outcome is what it saw
            }, 1, wakeAt);
            wakeUps.senderDone();
        }
    }

    /**
     * Closing never misses a receiver: the channel writes its volatile closed flag, then wakes
     * whoever published itself, while the receiver publishes itself, fences and re-checks the flag
     * (as {@code OffHeapChannel.close} and {@code receive} do). Outcome: (closer found the
     * receiver, receiver saw the close).
     */
    @JCStressTest
    @Outcome(id = {"true, true", "true, false", "false, true"}, expect = ACCEPTABLE, desc = "at least one saw the other")
    @Outcome(id = "false, false", expect = FORBIDDEN, desc = "lost wake-up: the receiver parks on a closed channel")
    @State
    public static class CloseWakeUp {
        final WakeUps wakeUps = new WakeUps(true);
        volatile boolean closed;

        @Actor
        public void closer(ZZ_Result r) {
            closed = true;
            r.r1 = wakeUps.wakeEveryone();
        }

        @Actor
        public void receiver(ZZ_Result r) {
            wakeUps.parkReceiver(() -> {
                r.r2 = closed;
                return true;
            }, 1, true);
        }
    }

    /** {@link CloseWakeUp} with the closed flag written by a release store instead of a volatile one. */
    @JCStressTest
    @Outcome(id = {"true, true", "true, false", "false, true"}, expect = ACCEPTABLE, desc = "at least one saw the other")
    @Outcome(id = "false, false", expect = FORBIDDEN, desc = "lost wake-up: the receiver parks on a closed channel")
    @State
    public static class BrokenCloseWakeUpWithReleaseStore {
        private static final VarHandle CLOSED;

        static {
            try {
                CLOSED = MethodHandles.lookup().findVarHandle(BrokenCloseWakeUpWithReleaseStore.class, "closed", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final WakeUps wakeUps = new WakeUps(true);
        volatile boolean closed;

        @Actor
        public void closer(ZZ_Result r) {
            CLOSED.setRelease(this, true);   // BROKEN: a release store, no fence before the read below
            r.r1 = wakeUps.wakeEveryone();
        }

        @Actor
        public void receiver(ZZ_Result r) {
            wakeUps.parkReceiver(() -> {
                r.r2 = closed;
                return true;
            }, 1, true);
        }
    }
}
