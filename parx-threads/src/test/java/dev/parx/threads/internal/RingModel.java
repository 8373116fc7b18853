package dev.parx.threads.internal;

import java.util.ArrayDeque;

/**
 * The sequential specification of a ring of {@link RingMessages}: a FIFO bounded in bytes, where
 * a message takes its aligned record and, when the record would cross the end of the ring, the
 * padding before it. Room is exactly what {@link Ring} promises: a record fits while its end,
 * less the capacity, does not pass the head.
 */
final class RingModel {

    private final int capacity;
    private final ArrayDeque<long[]> records = new ArrayDeque<>();   // {value, bytes with padding}
    private long head;
    private long tail;

    RingModel(int capacity) {
        this.capacity = capacity;
    }

    boolean trySend(int value) {
        int required = Ring.recordLength(RingMessages.payloadLength(value));
        int toEnd = capacity - (int) (tail & (capacity - 1));
        int padding = required > toEnd ? toEnd : 0;
        if (tail + required + padding - capacity > head) {
            return false;
        }
        records.add(new long[] {value, required + padding});
        tail += required + padding;
        return true;
    }

    int poll() {
        long[] record = records.poll();
        if (record == null) {
            return RingMessages.NONE;
        }
        head += record[1];
        return (int) record[0];
    }
}
