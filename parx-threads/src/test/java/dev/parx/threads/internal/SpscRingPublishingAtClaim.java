package dev.parx.threads.internal;

import java.lang.foreign.Arena;

/**
 * A copy of {@link SpscRing} broken on purpose, for the checks to catch: {@code tryClaim} publishes
 * the tail, so the receiver may read a record before its payload is written. Otherwise the same:
 * one sender thread, one receiver thread. The sender owns {@code tail} and commits by a release
 * store of it, which publishes every record before it at once; the receiver reads records up to its
 * cached view of tail, so it touches the sender's cache line only when the cache runs out. No CAS,
 * and no zeroing: header lengths are trusted only below the published tail.
 *
 * <p>Each side keeps its own counters in plain fields, padded so that the sender's and the
 * receiver's never share a cache line; the off-heap counters are what the other side reads.
 */
@SuppressWarnings("unused")   // the p* fields are padding
public final class SpscRingPublishingAtClaim extends Ring {

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
    public SpscRingPublishingAtClaim(Arena arena, int capacity) {
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
        LONG.setRelease(segment, (long) capacity + TAIL, end);   // BROKEN: belongs in commit
        return index;
    }

    @Override
    public boolean closeToSenders() {
        return false;
    }

    @Override
    public void commit(long index, int length) {
        tail = claimEnd;
        LONG.setRelease(segment, (long) capacity + TAIL, claimEnd);
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
            head += length;
            LONG.setRelease(segment, (long) capacity + HEAD, head);
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
