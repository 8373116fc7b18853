package dev.parx.threads.internal;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The threads of this JVM waiting on offsets of one buffer, in the manner of the waiter lists of
 * JavaScript's {@code Atomics.wait}: a waiter checks the value and enqueues itself under the same
 * lock that {@link #notify} takes, so a notify that follows a write can never miss a waiter that
 * saw the old value.
 */
public final class WaiterTable {

    /** How {@link #await} ended. */
    public enum Outcome {
        /** Woken by {@link #notify}, or (when polling) saw the value change. */
        WOKEN,
        /** The value was not the expected one. */
        NOT_EQUAL,
        /** The timeout passed. */
        TIMED_OUT
    }

    /** How a polling waiter sleeps between two checks. */
    @FunctionalInterface
    public interface Sleeper {
        /**
         * Sleeps for at most {@code nanos}; may return early.
         *
         * @param nanos the longest sleep
         */
        void sleep(long nanos);
    }

    private static final class Waiter {
        final Thread thread = Thread.currentThread();
        volatile boolean notified;
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Long, ArrayDeque<Waiter>> waiters = new HashMap<>();

    /**
     * Waits on {@code offset} while {@code stillExpected} holds, until notified or the timeout.
     *
     * @param offset the key
     * @param stillExpected reads the value and compares it with the expected one
     * @param timeoutNanos the longest wait
     * @param pollNanos if positive, re-check {@code stillExpected} at least this often and return
     *     {@link Outcome#WOKEN} once it fails (for writers in other processes, which cannot notify)
     * @return how it ended
     * @throws InterruptedException if interrupted before being woken
     */
    public Outcome await(long offset, BooleanSupplier stillExpected, long timeoutNanos, long pollNanos)
            throws InterruptedException {
        return await(offset, stillExpected, timeoutNanos, pollNanos, null);
    }

    /**
     * Like {@link #await(long, BooleanSupplier, long, long)}, sleeping between two polls with
     * {@code sleeper} (a futex wait, say, that a writer in another process can cut short) instead of
     * parking. A {@link #notify} unparks; whoever notifies must also cut such a sleep short.
     *
     * @param offset the key
     * @param stillExpected reads the value and compares it with the expected one
     * @param timeoutNanos the longest wait
     * @param pollNanos as for the other method
     * @param sleeper how to sleep between polls, or null to park
     * @return how it ended
     * @throws InterruptedException if interrupted before being woken
     */
    public Outcome await(long offset, BooleanSupplier stillExpected, long timeoutNanos, long pollNanos,
            Sleeper sleeper) throws InterruptedException {
        Waiter me;
        lock.lock();
        try {
            if (!stillExpected.getAsBoolean()) {
                return Outcome.NOT_EQUAL;
            }
            me = new Waiter();
            waiters.computeIfAbsent(offset, key -> new ArrayDeque<>()).add(me);
        } finally {
            lock.unlock();
        }
        long start = System.nanoTime();
        long poll = Math.max(pollNanos, 0);
        long backoff = 1_000;
        while (true) {
            if (me.notified) {
                return Outcome.WOKEN;
            }
            if (Thread.interrupted()) {
                if (leave(offset, me)) {
                    throw new InterruptedException("interrupted while waiting on offset " + offset);
                }
                Thread.currentThread().interrupt();   // the notify won: report it, keep the interrupt
                return Outcome.WOKEN;
            }
            if (poll > 0 && !stillExpected.getAsBoolean()) {
                leave(offset, me);
                return Outcome.WOKEN;
            }
            long remaining = timeoutNanos - (System.nanoTime() - start);
            if (remaining <= 0) {
                return leave(offset, me) ? Outcome.TIMED_OUT : Outcome.WOKEN;
            }
            long park = remaining;
            if (poll > 0) {
                // poll from 1 us up to pollNanos, so a quick change is seen quickly
                park = Math.min(remaining, backoff);
                backoff = Math.min(backoff * 2, poll);
            }
            if (poll > 0 && sleeper != null) {
                sleeper.sleep(park);
            } else {
                LockSupport.parkNanos(this, park);
            }
        }
    }

    /**
     * Wakes up to {@code count} threads waiting on {@code offset}, oldest first.
     *
     * @param offset the key
     * @param count the most to wake
     * @return how many were woken
     */
    public int notify(long offset, int count) {
        int woken = 0;
        lock.lock();
        try {
            ArrayDeque<Waiter> queue = waiters.get(offset);
            while (queue != null && woken < count && !queue.isEmpty()) {
                Waiter waiter = queue.poll();
                waiter.notified = true;
                LockSupport.unpark(waiter.thread);
                woken++;
            }
            if (queue != null && queue.isEmpty()) {
                waiters.remove(offset);
            }
        } finally {
            lock.unlock();
        }
        return woken;
    }

    /**
     * Wakes every waiter on every offset (the buffer is closing).
     *
     * @return how many were woken
     */
    public int notifyEveryone() {
        lock.lock();
        try {
            int woken = 0;
            for (ArrayDeque<Waiter> queue : waiters.values()) {
                for (Waiter waiter : queue) {
                    waiter.notified = true;
                    LockSupport.unpark(waiter.thread);
                    woken++;
                }
            }
            waiters.clear();
            return woken;
        } finally {
            lock.unlock();
        }
    }

    /** Removes a waiter; returns false if a notify took it first. */
    private boolean leave(long offset, Waiter me) {
        lock.lock();
        try {
            if (me.notified) {
                return false;
            }
            ArrayDeque<Waiter> queue = waiters.get(offset);
            queue.remove(me);
            if (queue.isEmpty()) {
                waiters.remove(offset);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }
}
