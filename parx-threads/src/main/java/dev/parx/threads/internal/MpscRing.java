package dev.parx.threads.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Many sender threads, one receiver thread. Senders claim room by a CAS on {@code tail}, write
 * their record, and commit it by a release store of its header length; records are committed out
 * of order but read in claim order, so one slow sender delays the receiver, never reorders it. The
 * receiver zeroes what it consumed, because a later record's header may land anywhere in it and a
 * length of 0 is what tells "not committed yet".
 *
 * <p>Not final only so that the checks can break one step of it in a subclass ({@link #claimTail});
 * nothing else extends it, so the call is inlined.
 */
@SuppressWarnings("unused")   // the p* fields are padding
public class MpscRing extends Ring {

    // the source of zeroing by copy, for records up to its size
    private static final MemorySegment ZEROS = MemorySegment.ofArray(new byte[4096]);

    private long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
    // receiver side, in a plain field: only the receiver writes head
    private long head;
    // A long, like every field between the paddings: the JVM lays out fields by size, and an int
    // would go into the gap beside the fields every sender reads, where each receive would write it.
    private long nextLength;        // the aligned length of the record next() returned
    private long p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p30, p31, p32, p33, p34, p35;

    /**
     * Allocates the ring in {@code arena}.
     *
     * @param arena a shared arena, closed by the owner
     * @param capacity a power of two
     */
    public MpscRing(Arena arena, int capacity) {
        super(arena, capacity);
    }

    @Override
    public long tryClaim(int length) {
        int required = recordLength(length);
        long tail;
        int index;
        int padding;
        do {
            tail = (long) LONG.getVolatile(segment, (long) capacity + TAIL);
            if ((tail & CLOSED_BIT) != 0) {
                return CLOSED;
            }
            index = (int) tail & mask;
            int toEnd = capacity - index;
            padding = required > toEnd ? toEnd : 0;
            long limit = tail + required + padding - capacity;
            if (limit > (long) LONG.getAcquire(segment, (long) capacity + HEAD_CACHE)) {
                long seen = headPosition();
                if (limit > seen) {
                    return FULL;
                }
                LONG.setRelease(segment, (long) capacity + HEAD_CACHE, seen);
            }
        } while (!claimTail(tail, tail + required + padding));
        if (padding != 0) {
            writeHeaderType(index, TYPE_PADDING);
            INT.setRelease(segment, (long) index, padding);
            index = 0;
        }
        writeHeaderType(index, TYPE_MESSAGE);
        return index;
    }

    /** Moves the tail from {@code tail} to {@code end}; false if another sender moved it first. */
    boolean claimTail(long tail, long end) {
        return LONG.compareAndSet(segment, (long) capacity + TAIL, tail, end);
    }

    @Override
    public boolean closeToSenders() {
        LONG.getAndBitwiseOr(segment, (long) capacity + TAIL, CLOSED_BIT);
        return true;
    }

    @Override
    public void commit(long index, int length) {
        INT.setRelease(segment, index, HEADER + length);
    }

    @Override
    public void abort(long index, int length) {
        writeHeaderType(index, TYPE_PADDING);
        INT.setRelease(segment, index, recordLength(length));
    }

    @Override
    long senderTail() {
        return (long) LONG.getVolatile(segment, (long) capacity + TAIL) & ~CLOSED_BIT;
    }

    @Override
    public long next() {
        boolean skipped = false;
        while (true) {
            long index = head & mask;
            int length = (int) INT.getAcquire(segment, index);
            if (length == 0) {
                if (skipped) {
                    // nothing committed after the padding (or the aborted record) skipped: free it now
                    LONG.setRelease(segment, (long) capacity + HEAD, head);
                }
                return -1;
            }
            if (readType(index) != TYPE_PADDING) {
                nextLength = align(length);
                return index;
            }
            // freed together with the message after it, in consume: a sender never sees room
            // that a receive has only half taken
            zero(index, align(length));
            head += align(length);
            skipped = true;
        }
    }

    @Override
    public long receiverHead() {
        return head;
    }

    @Override
    public boolean hasCommitted() {
        return (int) INT.getAcquire(segment, head & mask) != 0;
    }

    @Override
    public long consume(long index) {
        return release(index, (int) nextLength);
    }

    private long release(long index, int length) {
        zero(index, length);
        head += length;
        LONG.setRelease(segment, (long) capacity + HEAD, head);
        return head;
    }

    private void zero(long index, int length) {
        if (length <= ZEROS.byteSize()) {
            MemorySegment.copy(ZEROS, 0, segment, index, length);   // a bulk copy, no slice to allocate
        } else {
            segment.asSlice(index, length).fill((byte) 0);
        }
    }
}
