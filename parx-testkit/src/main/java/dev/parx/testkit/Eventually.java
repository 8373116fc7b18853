package dev.parx.testkit;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assertions;

/**
 * Bounded waiting for conditions, so that the contract suites depend on JUnit alone. A condition
 * is polled every millisecond until it holds, or until the bound passes and the wait fails the test
 * with a message that names what was awaited.
 */
public final class Eventually {

    private Eventually() {
    }

    /**
     * Waits until {@code condition} holds.
     *
     * @param what a description of the condition, for the failure message
     * @param atMost the bound
     * @param condition the condition
     * @throws org.opentest4j.AssertionFailedError if the bound passes first
     */
    public static void until(String what, Duration atMost, BooleanSupplier condition) {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                Assertions.fail("waited " + atMost.toMillis() + " ms for " + what);
            }
            pause();
        }
    }

    /**
     * Checks that {@code condition} holds throughout {@code period}.
     *
     * @param what a description of the condition, for the failure message
     * @param period how long it must hold
     * @param condition the condition
     * @throws org.opentest4j.AssertionFailedError as soon as it does not hold
     */
    public static void holdsFor(String what, Duration period, BooleanSupplier condition) {
        long end = System.nanoTime() + period.toNanos();
        do {
            if (!condition.getAsBoolean()) {
                Assertions.fail("expected throughout " + period.toMillis() + " ms: " + what);
            }
            pause();
        } while (System.nanoTime() - end < 0);
    }

    private static void pause() {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        if (Thread.currentThread().isInterrupted()) {
            Assertions.fail("interrupted while waiting");
        }
    }
}
