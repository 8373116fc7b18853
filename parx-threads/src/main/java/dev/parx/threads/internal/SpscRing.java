package dev.parx.threads.internal;

import java.lang.foreign.Arena;

/**
 * One sender thread, one receiver thread. The sender owns {@code tail} and commits by a release
 * store of it, which publishes every record before it at once; the receiver reads records up to its
 * cached view of tail, so it touches the sender's cache line only when the cache runs out. No CAS,
 * and no zeroing: header lengths are trusted only below the published tail.
 *
 * <p>Each side keeps its own counters in plain fields, padded so that the sender's and the
 * receiver's never share a cache line; the off-heap counters are what the other side reads.
 *
 * <p>Not final only so that the checks can break one step of it in a subclass
 * ({@link #publishTail} called from {@link #tryClaim}); nothing else extends it.
 */
@SuppressWarnings("unused")   // the p* fields are padding
public class SpscRing extends Ring {

    private long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
    // sender side
    private long tail;
    private long headCache;
    private long claimEnd;          // tail after the claimed record, set by tryClaim
    private long p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p30, p31, p32, p33, p34, p35;
    // receiver side
    private long head;
    private long tailCache;
    // A long, like every field between the paddings: the JVM lays out fields by size, and an int
    // would go into the gap beside the fields the sender reads, where each receive would write it.
    private long nextLength;        // the aligned length of the record next() returned
    private long p40, p41, p42, p43, p44, p45, p46, p47, p48, p49, p50, p51, p52, p53, p54, p55;

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
        long tail = this.tail;
        int index = (int) tail & mask;
        int toEnd = capacity - index;
        int padding = required > toEnd ? toEnd : 0;
        long end = tail + required + padding;
        if (end - capacity > headCache) {
            headCache = headPosition();
            if (end - capacity > headCache) {
                return FULL;
            }
        }
        if (padding != 0) {
            // published together with the record by the release store of tail in commit
            INT.set(segment, (long) index, padding);
            writeHeaderType(index, TYPE_PADDING);
            index = 0;
        }
        INT.set(segment, (long) index, HEADER + length);
        writeHeaderType(index, TYPE_MESSAGE);
        claimEnd = end;
        return index;
    }

    @Override
    public boolean closeToSenders() {
        return false;
    }

    @Override
    public void commit(long index, int length) {
        tail = claimEnd;
        publishTail(claimEnd);
    }

    /** Where the record that {@link #tryClaim} claimed last ends: what {@link #commit} publishes. */
    final long claimEnd() {
        return claimEnd;
    }

    /** Publishes the tail to the receiver: the release store that commits the records before it. */
    final void publishTail(long end) {
        LONG.setRelease(segment, (long) capacity + TAIL, end);
    }

    @Override
    public void abort(long index, int length) {
        // nothing was published: tail did not move
    }

    @Override
    long senderTail() {
        return tail;
    }

    @Override
    public long next() {
        while (true) {
            if (head == tailCache) {
                tailCache = (long) LONG.getAcquire(segment, (long) capacity + TAIL);
                if (head == tailCache) {
                    return -1;
                }
            }
            long index = head & mask;
            int length = (int) INT.get(segment, index);
            if (readType(index) != TYPE_PADDING) {
                nextLength = align(length);
                return index;
            }
            // Padding is always followed by the record it made room for (both were published by one
            // store of tail), so it is freed together with that record, in consume: a sender never
            // sees room that a receive has only half taken.
            head += length;
        }
    }

    @Override
    public long receiverHead() {
        return head;
    }

    @Override
    public boolean hasCommitted() {
        return head != (long) LONG.getAcquire(segment, (long) capacity + TAIL);
    }

    @Override
    public long consume(long index) {
        head += nextLength;
        LONG.setRelease(segment, (long) capacity + HEAD, head);
        return head;
    }
}
