package dev.parx.threads;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parx.ChannelClosedException;
import dev.parx.Codec;
import dev.parx.threads.internal.SpscRingPublishingAtClaim;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayDeque;
import org.jetbrains.lincheck.LincheckAssertionError;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Options;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link OffHeapChannel}'s trySend, poll and close against a bounded FIFO that closes: nothing
 * lost, duplicated or reordered, sends refused once closed, and a closed channel drained to
 * {@code null}, while the receiver frees the native memory under a racing close. Stress mode runs
 * real threads; model checking explores the interleavings of the channel's own fields (closed,
 * the wake-ups, the arena's state) but not the ring's accesses to native memory, which the ring
 * checks and jcstress cover. A sender and a receiver: an spsc channel closed by its sender, an
 * mpsc channel closed by either.
 */
@Tag("proofs")
class OffHeapChannelLincheckTest {

    static final int CAPACITY = 64;

    /** Message {@code v} takes 4, 12 or 20 bytes, as in the ring checks, so that records wrap. */
    static final class Sized implements Codec<Integer> {
        @Override
        public int encodedSize(Integer value) {
            return 4 + (value % 3) * 8;
        }

        @Override
        public void encode(Integer value, MemorySegment target) {
            target.fill((byte) (int) value);
            target.set(ValueLayout.JAVA_INT_UNALIGNED, 0, value);
        }

        @Override
        public Integer decode(MemorySegment source) {
            int value = source.get(ValueLayout.JAVA_INT_UNALIGNED, 0);
            for (long i = 4; i < source.byteSize(); i++) {
                if (source.get(ValueLayout.JAVA_BYTE, i) != (byte) value) {
                    return -2;   // garbled
                }
            }
            return source.byteSize() == encodedSize(value) ? value : -2;
        }
    }

    @Param(name = "value", gen = IntGen.class, conf = "1:9")
    public static class Spsc {
        final OffHeapChannel<Integer> channel;

        public Spsc() {
            this(OffHeapChannel.spsc(CAPACITY, new Sized()));
        }

        Spsc(OffHeapChannel<Integer> channel) {
            this.channel = channel;
        }

        @Operation(nonParallelGroup = "sender")
        public boolean trySend(@Param(name = "value") int value) {
            return channel.trySend(value);
        }

        @Operation(nonParallelGroup = "sender")
        public void close() {
            channel.close();
        }

        @Operation(nonParallelGroup = "receiver")
        public int poll() throws InterruptedException {
            Integer value = channel.poll(Duration.ZERO);
            return value == null ? -1 : value;
        }
    }

    @Param(name = "value", gen = IntGen.class, conf = "1:9")
    public static class Mpsc extends Spsc {
        public Mpsc() {
            super(OffHeapChannel.mpsc(CAPACITY, new Sized()));
        }

        @Operation
        @Override
        public void close() {
            channel.close();
        }
    }

    /** The spsc check on a channel over a ring that publishes a record before its payload is written. */
    @Param(name = "value", gen = IntGen.class, conf = "1:9")
    public static class EarlyPublish extends Spsc {
        public EarlyPublish() {
            super(new OffHeapChannel<>("spsc", CAPACITY, new Sized(), IdleStrategy.backoff(), SpscRingPublishingAtClaim::new));
        }
    }

    /** The sequential specification: the ring's byte accounting, and a closed flag. */
    public static final class Spec {
        private final ArrayDeque<long[]> records = new ArrayDeque<>();
        private long head;
        private long tail;
        private boolean closed;

        public boolean trySend(int value) {
            if (closed) {
                throw new ChannelClosedException("closed");
            }
            int required = (8 + 4 + (value % 3) * 8 + 7) & -8;
            int toEnd = CAPACITY - (int) (tail & (CAPACITY - 1));
            int padding = required > toEnd ? toEnd : 0;
            if (tail + required + padding - CAPACITY > head) {
                return false;
            }
            records.add(new long[] {value, required + padding});
            tail += required + padding;
            return true;
        }

        public void close() {
            closed = true;
        }

        public int poll() {
            long[] record = records.poll();
            if (record == null) {
                return -1;
            }
            head += record[1];
            return (int) record[0];
        }
    }

    private static <O extends Options<O, ?>> O shape(O options) {
        return options.threads(2).actorsPerThread(4).actorsBefore(2).actorsAfter(2).sequentialSpecification(Spec.class);
    }

    @Test
    @Timeout(600)
    void spscIsLinearizableUnderStress() {
        shape(new StressOptions().iterations(20).invocationsPerIteration(2_000)).check(Spsc.class);
    }

    @Test
    @Timeout(600)
    void mpscIsLinearizableUnderStress() {
        shape(new StressOptions().iterations(20).invocationsPerIteration(2_000)).check(Mpsc.class);
    }

    @Test
    @Timeout(600)
    void spscIsLinearizableInTheInterleavingsModelCheckingSees() {
        shape(new ModelCheckingOptions().iterations(20).invocationsPerIteration(300)).check(Spsc.class);
    }

    @Test
    @Timeout(600)
    void mpscIsLinearizableInTheInterleavingsModelCheckingSees() {
        shape(new ModelCheckingOptions().iterations(20).invocationsPerIteration(300)).check(Mpsc.class);
    }

    @Test
    @Timeout(600)
    void catchesAChannelOverARingThatPublishesBeforeThePayloadIsWritten() {
        assertThrows(LincheckAssertionError.class,
                () -> shape(new StressOptions().iterations(20).invocationsPerIteration(2_000)).check(EarlyPublish.class));
    }
}
