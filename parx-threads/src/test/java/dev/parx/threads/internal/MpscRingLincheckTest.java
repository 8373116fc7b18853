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
 * {@link MpscRing} against {@link RingModel}, by Lincheck's stress mode: two sender threads and a
 * receiver, messages of three lengths in a 64-byte ring, so that claims race, wrap with padding
 * and commit out of order. The receiver waits for a claim ahead of it to be committed
 * ({@link RingMessages#pollClaimed}), as the ring is read in claim order.
 */
@Tag("proofs")
class MpscRingLincheckTest {

    /** The operations Lincheck calls, on a fresh ring per scenario. */
    @Param(name = "value", gen = IntGen.class, conf = "1:9")
    public static class Operations {
        private final Ring ring;

        public Operations() {
            this(new MpscRing(Arena.ofAuto(), SpscRingLincheckTest.CAPACITY));
        }

        Operations(Ring ring) {
            this.ring = ring;
        }

        @Operation
        public boolean trySend(@Param(name = "value") int value) {
            return RingMessages.trySend(ring, value);
        }

        @Operation(nonParallelGroup = "receiver")
        public int poll() {
            return RingMessages.pollClaimed(ring);
        }
    }

    static StressOptions stress(int iterations) {
        return new StressOptions()
                .iterations(iterations)
                .invocationsPerIteration(5_000)
                .threads(3)
                .actorsPerThread(3)
                .actorsBefore(2)
                .actorsAfter(2)
                .sequentialSpecification(SpscRingLincheckTest.Spec.class);
    }

    @Test
    @Timeout(300)
    void sendAndPollAreLinearizable() {
        stress(30).check(Operations.class);
    }

    /** The same checks on a ring whose senders claim by a read and a write of tail, not a CAS. */
    public static class RacyClaim extends Operations {
        public RacyClaim() {
            super(new MpscRingClaimingWithoutCas(Arena.ofAuto(), SpscRingLincheckTest.CAPACITY));
        }
    }

    @Test
    @Timeout(300)
    void catchesARingWhoseSendersClaimWithoutCas() {
        assertThrows(LincheckAssertionError.class, () -> stress(30).check(RacyClaim.class));
    }
}
