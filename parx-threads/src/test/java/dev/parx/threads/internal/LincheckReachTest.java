package dev.parx.threads.internal;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jetbrains.lincheck.LincheckAssertionError;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What Lincheck can see, pinned so that an upgrade that changes it is noticed: a counter that
 * increments by a volatile read and a volatile write (a lost update waiting to happen) in a field,
 * an array, a heap segment and a native segment. Model checking switches threads only at the
 * accesses it recognises: fields and arrays, but not {@code VarHandle} accesses to a
 * {@code MemorySegment}, whether native or over a {@code long[]}. So a heap-backed ring would not
 * help it; stress mode, which runs real threads, finds the lost update in native memory too.
 */
@Tag("proofs")
class LincheckReachTest {

    private static final VarHandle SEGMENT_LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final VarHandle ARRAY_LONG = MethodHandles.arrayElementVarHandle(long[].class);

    public static class FieldCounter {
        private volatile long value;

        @Operation
        public long increment() {
            long seen = value;
            value = seen + 1;
            return seen;
        }
    }

    public static class ArrayCounter {
        private final long[] value = new long[1];

        @Operation
        public long increment() {
            long seen = (long) ARRAY_LONG.getVolatile(value, 0);
            ARRAY_LONG.setVolatile(value, 0, seen + 1);
            return seen;
        }
    }

    public static class SegmentCounter {
        private final MemorySegment value;

        public SegmentCounter() {
            this(Arena.ofAuto().allocate(8, 8));
        }

        SegmentCounter(MemorySegment value) {
            this.value = value;
        }

        @Operation
        public long increment() {
            long seen = (long) SEGMENT_LONG.getVolatile(value, 0L);
            SEGMENT_LONG.setVolatile(value, 0L, seen + 1);
            return seen;
        }
    }

    public static class HeapSegmentCounter extends SegmentCounter {
        public HeapSegmentCounter() {
            super(MemorySegment.ofArray(new long[1]));
        }
    }

    private static ModelCheckingOptions modelChecking() {
        return new ModelCheckingOptions().iterations(5).invocationsPerIteration(200)
                .threads(2).actorsPerThread(2).actorsBefore(0).actorsAfter(0);
    }

    @Test
    @Timeout(120)
    void modelCheckingFindsALostUpdateInAFieldAndAnArray() {
        assertThrows(LincheckAssertionError.class, () -> modelChecking().check(FieldCounter.class));
        assertThrows(LincheckAssertionError.class, () -> modelChecking().check(ArrayCounter.class));
    }

    @Test
    @Timeout(120)
    void modelCheckingDoesNotSeeSegmentAccesses() {
        modelChecking().check(SegmentCounter.class);
        modelChecking().check(HeapSegmentCounter.class);
    }

    @Test
    @Timeout(120)
    void stressModeFindsALostUpdateInNativeMemory() {
        assertThrows(LincheckAssertionError.class, () -> new StressOptions().iterations(50).invocationsPerIteration(10_000)
                .threads(2).actorsPerThread(3).actorsBefore(0).actorsAfter(0).check(SegmentCounter.class));
    }
}
