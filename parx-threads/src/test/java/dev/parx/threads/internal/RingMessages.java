package dev.parx.threads.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Sends and takes small test messages over a {@link Ring} the way {@code OffHeapChannel} does
 * (claim, write the payload, commit; next, read, consume), without waiting. A message is a
 * positive int whose payload is 4, 12 or 20 bytes long (records of 16, 24 or 32 bytes): in a ring
 * of 64 bytes the tail reaches the end at every offset, so padding records come and go.
 */
final class RingMessages {

    /** What {@link #poll} returns when no message is committed. */
    static final int NONE = -1;
    /** What {@link #poll} returns for a record whose payload is not what was written. */
    static final int GARBLED = -2;
    /** What {@link #pollClaimed} returns when a claim ahead stays uncommitted for far too long. */
    static final int STUCK = -3;

    private RingMessages() {
    }

    /** The payload length of message {@code value}. */
    static int payloadLength(int value) {
        return 4 + (value % 3) * 8;
    }

    /** Sends {@code value} if there is room: the int, then its low byte in every byte left. */
    static boolean trySend(Ring ring, int value) {
        int length = payloadLength(value);
        long index = ring.tryClaim(length);
        if (index < 0) {
            return false;
        }
        MemorySegment records = ring.segment();
        long payload = index + Ring.HEADER;
        records.set(ValueLayout.JAVA_INT_UNALIGNED, payload, value);
        for (int i = 4; i < length; i++) {
            records.set(ValueLayout.JAVA_BYTE, payload + i, (byte) value);
        }
        ring.commit(index, length);
        return true;
    }

    /** Takes the next committed message: its value, {@link #NONE} or {@link #GARBLED}. */
    static int poll(Ring ring) {
        long index = ring.next();
        if (index < 0) {
            return NONE;
        }
        try {
            return read(ring, index);
        } finally {
            ring.consume(index);
        }
    }

    /**
     * Takes the next message, waiting for a claim ahead of it to be committed: {@link #NONE} only
     * when head has reached tail. An mpsc ring commits out of claim order, so {@link #poll} may find
     * nothing at head while a later claim is already committed.
     */
    static int pollClaimed(Ring ring) {
        for (int spins = 0; spins < 10_000_000; spins++) {
            int value = poll(ring);
            if (value != NONE || ring.isEmpty()) {
                return value;
            }
            Thread.onSpinWait();
        }
        return STUCK;
    }

    private static int read(Ring ring, long index) {
        MemorySegment records = ring.segment();
        long payload = index + Ring.HEADER;
        int value = records.get(ValueLayout.JAVA_INT_UNALIGNED, payload);
        int length = ring.payloadLength(index);
        if (value <= 0 || length != payloadLength(value)) {
            return GARBLED;
        }
        for (int i = 4; i < length; i++) {
            if (records.get(ValueLayout.JAVA_BYTE, payload + i) != (byte) value) {
                return GARBLED;
            }
        }
        return value;
    }
}
