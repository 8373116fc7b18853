package dev.parx.threads.internal;

import java.lang.foreign.Arena;

/**
 * {@link MpscRing} broken on purpose, for the checks to catch: a sender claims room by a volatile
 * write of tail instead of a CAS, so two senders may claim the same record.
 */
final class MpscRingClaimingWithoutCas extends MpscRing {

    MpscRingClaimingWithoutCas(Arena arena, int capacity) {
        super(arena, capacity);
    }

    @Override
    boolean claimTail(long tail, long end) {
        LONG.setVolatile(segment, (long) capacity + TAIL, end);   // BROKEN: not a CAS
        return true;
    }
}
