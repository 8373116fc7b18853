package dev.parx.threads;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.IJ_Result;

/**
 * jcstress outcomes of {@link SharedBuffer}'s atomics on native memory; run by {@code JcstressTest}.
 * The classes named {@code Broken...} break one line on purpose and must be reported.
 */
public final class SharedBufferOutcomes {

    private SharedBufferOutcomes() {
    }

    /** Volatile ints are sequentially consistent: Dekker's two flags, no store buffering. */
    @JCStressTest
    @Outcome(id = {"1, 1", "0, 1", "1, 0"}, expect = ACCEPTABLE, desc = "some order of the four accesses")
    @Outcome(id = "0, 0", expect = FORBIDDEN, desc = "each missed the other's store")
    @State
    public static class VolatileDekker {
        final SharedBuffer buffer = SharedBuffer.allocate(64);

        @Actor
        public void first(II_Result r) {
            buffer.setIntVolatile(0, 1);
            r.r1 = buffer.getIntVolatile(8);
        }

        @Actor
        public void second(II_Result r) {
            buffer.setIntVolatile(8, 1);
            r.r2 = buffer.getIntVolatile(0);
        }
    }

    /** {@link VolatileDekker} with release stores where volatile ones belong. */
    @JCStressTest
    @Outcome(id = {"1, 1", "0, 1", "1, 0"}, expect = ACCEPTABLE, desc = "some order of the four accesses")
    @Outcome(id = "0, 0", expect = FORBIDDEN, desc = "each missed the other's store")
    @State
    public static class BrokenDekkerWithReleaseStores {
        final SharedBuffer buffer = SharedBuffer.allocate(64);

        @Actor
        public void first(II_Result r) {
            buffer.setIntRelease(0, 1);   // BROKEN: setIntVolatile
            r.r1 = buffer.getIntVolatile(8);
        }

        @Actor
        public void second(II_Result r) {
            buffer.setIntRelease(8, 1);   // BROKEN: setIntVolatile
            r.r2 = buffer.getIntVolatile(0);
        }
    }

    /** A release store publishes the plain writes before it to a volatile read that sees it. */
    @JCStressTest
    @Outcome(id = {"0, 0", "0, 42", "1, 42"}, expect = ACCEPTABLE, desc = "not yet, or the data with or after the flag")
    @Outcome(id = "1, 0", expect = FORBIDDEN, desc = "the flag without the data before it")
    @State
    public static class ReleasePublishes {
        final SharedBuffer buffer = SharedBuffer.allocate(64);

        @Actor
        public void writer() {
            buffer.setLong(16, 42);
            buffer.setIntRelease(0, 1);
        }

        @Actor
        public void reader(IJ_Result r) {
            r.r1 = buffer.getIntVolatile(0);
            r.r2 = buffer.getLong(16);
        }
    }

    /** getAndAddInt is atomic: two increments are never one. */
    @JCStressTest
    @Outcome(id = {"0, 1", "1, 0"}, expect = ACCEPTABLE, desc = "one after the other")
    @Outcome(expect = FORBIDDEN, desc = "a lost update")
    @State
    public static class AtomicAdd {
        final SharedBuffer buffer = SharedBuffer.allocate(64);

        @Actor
        public void first(II_Result r) {
            r.r1 = buffer.getAndAddInt(0, 1);
        }

        @Actor
        public void second(II_Result r) {
            r.r2 = buffer.getAndAddInt(0, 1);
        }
    }
}
