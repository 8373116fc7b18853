package dev.parx.engine.internal;

import dev.parx.TimeStats;
import java.time.Duration;

/**
 * A log-linear histogram of nanosecond durations: each power of two is split into 16 buckets, so
 * a percentile is within about 6% of the truth. Not thread-safe: callers lock.
 */
public final class Histogram {

    private static final int SUB_BITS = 4;
    private static final int SUB = 1 << SUB_BITS;

    private final long[] counts = new long[64 * SUB];
    private long count;
    private long sum;
    private long max;

    void record(long nanos) {
        long v = Math.max(0, nanos);
        counts[index(v)]++;
        count++;
        sum += v;
        max = Math.max(max, v);
    }

    /** Adds another histogram's counts to this one; null adds nothing. */
    void add(Histogram other) {
        if (other == null) {
            return;
        }
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        count += other.count;
        sum += other.sum;
        max = Math.max(max, other.max);
    }

    TimeStats summary() {
        if (count == 0) {
            return TimeStats.EMPTY;
        }
        return new TimeStats(count, Duration.ofNanos(sum / count), Duration.ofNanos(percentile(0.50)),
                Duration.ofNanos(percentile(0.99)), Duration.ofNanos(max));
    }

    private long percentile(double p) {
        long rank = (long) Math.ceil(p * count);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(max, middle(i));
            }
        }
        return max;
    }

    private static int index(long v) {
        if (v < SUB) {
            return (int) v;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(v);
        int sub = (int) (v >>> (exponent - SUB_BITS)) & (SUB - 1);
        return (exponent - SUB_BITS + 1) * SUB + sub;
    }

    private static long middle(int index) {
        if (index < SUB) {
            return index;
        }
        int exponent = index / SUB + SUB_BITS - 1;
        int sub = index % SUB;
        long low = (1L << exponent) + ((long) sub << (exponent - SUB_BITS));
        return low + (1L << (exponent - SUB_BITS)) / 2;
    }
}
