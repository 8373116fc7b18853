package dev.parx;

import java.time.Duration;

/**
 * A summary of a set of durations, such as the time tasks waited in the queue. Percentiles are
 * approximate (within about 7%); count, mean and max are exact.
 *
 * @param count how many durations were recorded
 * @param mean their mean, zero if none
 * @param p50 the median
 * @param p99 the 99th percentile
 * @param max the largest
 */
public record TimeStats(long count, Duration mean, Duration p50, Duration p99, Duration max) {

    /** The summary of no durations at all. */
    public static final TimeStats EMPTY =
            new TimeStats(0, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);
}
