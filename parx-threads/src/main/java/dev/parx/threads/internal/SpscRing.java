package dev.parx.threads.internal;

import java.lang.foreign.Arena;

/**
 * One sender thread, one receiver thread. The sender owns {@code tail} and commits by a release
 * store of it, which publishes every record before it at once; the receiver reads records up to its
 * cached view of tail, so it touches the sender's cache line only when the cache runs out. No CAS,
 * and no zeroing: header lengths are trusted only below the published tail.
 */
public final class SpscRing extends Ring {

    /**
     * Allocates the ring in {@code arena}.
     *
     * @param arena a shared arena, closed by the owner
     * @param capacity a power of two
     */
    public SpscRing(Arena arena, int capacity) {
        super(arena, capacity);
    }

    @Override
    public long tryClaim(int length) {
        int required = recordLength(length);
        long tail = (long) LONG.get(segment, (long) capacity + TAIL);
        int index = (int) tail & mask;
        int toEnd = capacity - index;
        int padding = required > toEnd ? toEnd : 0;
        long limit = tail + required + padding - capacity;
        if (limit > (long) LONG.get(segment, (long) capacity + HEAD_CACHE)) {
            long head = headPosition();
            if (limit > head) {
                return FULL;
            }
            LONG.set(segment, (long) capacity + HEAD_CACHE, head);
        }
        if (padding != 0) {
            // published together with the record by the release store of tail in commit
            INT.set(segment, (long) index, padding);
            writeHeaderType(index, TYPE_PADDING);
            index = 0;
        }
        INT.set(segment, (long) index, HEADER + length);
        writeHeaderType(index, TYPE_MESSAGE);
        return index;
    }

    @Override
    public boolean closeToSenders() {
        return false;
    }

    @Override
    public void commit(long index, int length) {
        long tail = (long) LONG.get(segment, (long) capacity + TAIL);
        int tailIndex = (int) tail & mask;
        long end = index == tailIndex ? tail : tail + capacity - tailIndex;   // past the padding
        LONG.setRelease(segment, (long) capacity + TAIL, end + recordLength(length));
    }

    @Override
    public void abort(long index, int length) {
        // nothing was published: tail did not move
    }

    @Override
    public boolean hasRoomFor(int length) {
        int required = recordLength(length);
        long tail = (long) LONG.get(segment, (long) capacity + TAIL);
        int toEnd = capacity - ((int) tail & mask);
        int padding = required > toEnd ? toEnd : 0;
        return tail + required + padding - capacity <= headPosition();
    }

    @Override
    public long next() {
        long head = (long) LONG.get(segment, (long) capacity + HEAD);
        while (true) {
            if (head == (long) LONG.get(segment, (long) capacity + TAIL_CACHE)) {
                long tail = (long) LONG.getAcquire(segment, (long) capacity + TAIL);
                LONG.set(segment, (long) capacity + TAIL_CACHE, tail);
                if (head == tail) {
                    return -1;
                }
            }
            long index = head & mask;
            if (readType(index) != TYPE_PADDING) {
                return index;
            }
            head += (int) INT.get(segment, index);
            LONG.setRelease(segment, (long) capacity + HEAD, head);
        }
    }

    @Override
    public boolean hasCommitted() {
        return (long) LONG.get(segment, (long) capacity + HEAD) != (long) LONG.getAcquire(segment, (long) capacity + TAIL);
    }

    @Override
    public void consume(long index) {
        long head = (long) LONG.get(segment, (long) capacity + HEAD);
        LONG.setRelease(segment, (long) capacity + HEAD, head + align((int) INT.get(segment, index)));
    }
}
