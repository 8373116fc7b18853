package dev.parx.threads.internal;

import java.lang.foreign.Arena;

/**
 * {@link SpscRing} broken on purpose, for the checks to catch: {@code tryClaim} publishes the
 * tail, so the receiver may read a record before its payload is written.
 */
public final class SpscRingPublishingAtClaim extends SpscRing {

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
        long index = super.tryClaim(length);
        if (index >= 0) {
            publishTail(claimEnd());   // BROKEN: belongs in commit
        }
        return index;
    }
}
