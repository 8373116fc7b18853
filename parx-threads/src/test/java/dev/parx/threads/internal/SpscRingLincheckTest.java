package dev.parx.threads.internal;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import org.jetbrains.lincheck.LincheckAssertionError;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link SpscRing} against {@link RingModel}, by Lincheck's stress mode: one sender thread, one
 * receiver thread, messages of three lengths in a 64-byte ring, so that records wrap with padding.
 * Nothing is lost, duplicated, reordered or garbled, and the ring is full exactly when the model is.
 *
 * <p>Model checking is not used here: Lincheck 3.7 does not see {@code VarHandle} accesses to a
 * {@code MemorySegment}, native or heap, as shared-memory events ({@link LincheckReachTest}), so
 * it would never switch threads inside the ring. The memory orderings are jcstress's job. The
 * default build runs a short stress of the real ring; the rest is tagged {@code proofs}.
 */
class SpscRingLincheckTest {

    static final int CAPACITY = 64;

    /** The operations Lincheck calls, on a fresh ring per scenario. */
    @Param(name = "value", gen = IntGen.class, conf = "1:9")
    public static class Operations {
        private final Ring ring;

        public Operations() {
            this(new SpscRing(Arena.ofAuto(), CAPACITY));
        }

        Operations(Ring ring) {
            this.ring = ring;
        }

        @Operation(nonParallelGroup = "sender")
        public boolean trySend(@Param(name = "value") int value) {
            return RingMessages.trySend(ring, value);
        }

        @Operation(nonParallelGroup = "receiver")
        public int poll() {
            return RingMessages.poll(ring);
        }
    }

    /** The sequential specification. */
    public static final class Spec {
        private final RingModel model = new RingModel(CAPACITY);

        public boolean trySend(int value) {
            return model.trySend(value);
        }

        public int poll() {
            return model.poll();
        }
    }

    static StressOptions stress(int iterations) {
        return new StressOptions()
                .iterations(iterations)
                .invocationsPerIteration(5_000)
                .threads(2)
                .actorsPerThread(4)
                .actorsBefore(2)
                .actorsAfter(2)
                .sequentialSpecification(Spec.class);
    }

    @Test
    @Timeout(120)
    void sendAndPollAreLinearizableInAShortStress() {
        stress(2).invocationsPerIteration(1_000).check(Operations.class);
    }

    @Test
    @Tag("proofs")
    @Timeout(300)
    void sendAndPollAreLinearizable() {
        stress(30).check(Operations.class);
    }

    /** The same checks on a ring that publishes its tail at the claim, before the payload is written. */
    public static class EarlyPublish extends Operations {
        public EarlyPublish() {
            super(new SpscRingPublishingAtClaim(Arena.ofAuto(), CAPACITY));
        }
    }

    @Test
    @Tag("proofs")
    @Timeout(300)
    void catchesARingThatPublishesBeforeThePayloadIsWritten() {
        assertThrows(LincheckAssertionError.class, () -> stress(30).check(EarlyPublish.class));
    }
}
