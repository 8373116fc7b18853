package dev.parx.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parx.TimeStats;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HistogramTest {

    @Test
    void emptyHistogramSummarisesAsEmpty() {
        assertEquals(TimeStats.EMPTY, new Histogram().summary());
    }

    @Test
    void percentilesAreWithinSevenPercentAndCountMeanMaxAreExact() {
        Histogram histogram = new Histogram();
        for (long micros = 1; micros <= 10_000; micros++) {
            histogram.record(micros * 1_000);
        }
        TimeStats stats = histogram.summary();
        assertEquals(10_000, stats.count());
        assertEquals(Duration.ofNanos(5_000_500), stats.mean());
        assertEquals(Duration.ofMillis(10), stats.max());
        assertWithin(5_000_000, stats.p50().toNanos());
        assertWithin(9_900_000, stats.p99().toNanos());
    }

    @Test
    void smallAndNegativeValuesAreKept() {
        Histogram histogram = new Histogram();
        histogram.record(-5);
        histogram.record(3);
        TimeStats stats = histogram.summary();
        assertEquals(2, stats.count());
        assertEquals(Duration.ofNanos(3), stats.max());
        assertEquals(Duration.ofNanos(3), stats.p99());
    }

    private static void assertWithin(long expected, long actual) {
        assertTrue(Math.abs(actual - expected) <= expected * 0.07, "expected ~" + expected + " but was " + actual);
    }
}
