package dev.parx.threads.internal;

import java.lang.foreign.Arena;

/**
 * Many sender threads, one receiver thread. Senders claim room by a CAS on {@code tail}, write
 * their record, and commit it by a release store of its header length; records are committed out
 * of order but read in claim order, so one slow sender delays the receiver, never reorders it. The
 * receiver zeroes what it consumed, because a later record's header may land anywhere in it and a
 * length of 0 is what tells "not committed yet".
 */
public final class MpscRing extends Ring {

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
                long head = headPosition();
                if (limit > head) {
                    return FULL;
                }
                LONG.setRelease(segment, (long) capacity + HEAD_CACHE, head);
            }
        } while (!LONG.compareAndSet(segment, (long) capacity + TAIL, tail, tail + required + padding));
        if (padding != 0) {
            writeHeaderType(index, TYPE_PADDING);
            INT.setRelease(segment, (long) index, padding);
            index = 0;
        }
        writeHeaderType(index, TYPE_MESSAGE);
        return index;
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
    public boolean hasRoomFor(int length) {
        int required = recordLength(length);
        long tail = (long) LONG.getVolatile(segment, (long) capacity + TAIL) & ~CLOSED_BIT;
        int toEnd = capacity - ((int) tail & mask);
        int padding = required > toEnd ? toEnd : 0;
        return tail + required + padding - capacity <= headPosition();
    }

    @Override
    public long next() {
        while (true) {
            long head = (long) LONG.get(segment, (long) capacity + HEAD);
            long index = head & mask;
            int length = (int) INT.getAcquire(segment, index);
            if (length == 0) {
                return -1;
            }
            if (readType(index) != TYPE_PADDING) {
                return index;
            }
            release(head, index, align(length));
        }
    }

    @Override
    public boolean hasCommitted() {
        long index = (long) LONG.get(segment, (long) capacity + HEAD) & mask;
        return (int) INT.getAcquire(segment, index) != 0;
    }

    @Override
    public void consume(long index) {
        long head = (long) LONG.get(segment, (long) capacity + HEAD);
        release(head, index, align((int) INT.get(segment, index)));
    }

    private void release(long head, long index, int length) {
        segment.asSlice(index, length).fill((byte) 0);
        LONG.setRelease(segment, (long) capacity + HEAD, head + length);
    }
}
