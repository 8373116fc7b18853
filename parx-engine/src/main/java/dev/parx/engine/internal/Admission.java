package dev.parx.engine.internal;

import dev.parx.FullQueuePolicy;
import dev.parx.PoolSettings;
import dev.parx.RejectedTaskException;
import dev.parx.RejectedTaskException.Reason;
import dev.parx.WaitInterruptedException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * A pool's slots: the most tasks accepted and not yet ended, {@code maxQueue} plus
 * {@code maxWorkers} times a worker's capacity. A submitter takes a slot by counting up
 * {@code accepted}, at most that many ahead of {@code released}; the end of a task gives its slot
 * back by counting up a stripe of {@code released}, one per worker number, so that workers do not
 * write to one cache line. Submitters sum the stripes only when they reach the limit they last saw.
 * A submitter that finds no slot is rejected, or blocks until one is given back, per the pool's
 * {@link FullQueuePolicy}.
 *
 * <p>Thread-safe and lock-free, except for blocked submitters, which wait on a lock of their own.
 */
public final class Admission {

    private static final VarHandle ACCEPT_LIMIT;
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    /** Longs between hot counters: 128 bytes. */
    private static final int SPACING = 16;
    private static final int ACCEPTED = SPACING;

    static {
        try {
            ACCEPT_LIMIT = MethodHandles.lookup().findVarHandle(Admission.class, "acceptLimit", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final PoolSettings settings;
    private final StatsRecorder stats;
    private final BooleanSupplier running;
    private final int capacity;
    /** At {@link #ACCEPTED}: slots ever taken; the last one is the number of the newest task. */
    private final long[] accepted = new long[ACCEPTED * 2];
    /** Slots ever given back: one stripe per worker number, 128 bytes apart; see {@link #releasedIndex}. */
    private final long[] released;
    private final int releasedMask;
    private volatile long acceptLimit;          // accepted may grow to this: some past sum of released + capacity
    private volatile int blocked;               // written under the lock
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition room = lock.newCondition();

    /**
     * Creates the slots of a pool.
     *
     * @param settings the pool's settings
     * @param workerCapacity executions a worker holds at once
     * @param stats counts rejections
     * @param running whether the pool still accepts tasks; blocked submitters look at it when {@link #wakeAll} wakes them
     */
    public Admission(PoolSettings settings, int workerCapacity, StatsRecorder stats, BooleanSupplier running) {
        this.settings = settings;
        this.stats = stats;
        this.running = running;
        this.capacity = (int) Math.min(Integer.MAX_VALUE,
                (long) settings.maxQueue() + (long) settings.maxWorkers() * workerCapacity);
        this.acceptLimit = capacity;
        int stripes = StatsRecorder.workerStripes(settings.maxWorkers());
        this.released = new long[(stripes + 1) * SPACING + SPACING];
        this.releasedMask = stripes - 1;
    }

    /**
     * Takes a slot, or rejects or blocks per the queue policy.
     *
     * @param taskClass the task's class, for messages
     * @return the number of the task that gets the slot, from 1
     * @throws RejectedTaskException if the pool does not run or the queue is full and the pool rejects
     * @throws WaitInterruptedException if interrupted while blocked; the interrupt flag is set again
     */
    public long take(Class<?> taskClass) {
        while (true) {
            if (!running.getAsBoolean()) {
                throw rejected(Reason.SHUT_DOWN, taskClass, true);
            }
            long taken = acceptedCount();
            if (taken < acceptLimit || taken < raiseLimit()) {
                if (LONGS.compareAndSet(accepted, ACCEPTED, taken, taken + 1)) {
                    return taken + 1;
                }
                continue;
            }
            if (settings.fullQueuePolicy() == FullQueuePolicy.REJECT) {
                throw rejected(Reason.QUEUE_FULL, taskClass, true);
            }
            awaitRoom(taskClass);
        }
    }

    private void awaitRoom(Class<?> taskClass) {
        lock.lock();
        try {
            blocked++;
            // Looked at after counting ourselves in: give frees, then looks for us.
            while (running.getAsBoolean() && acceptedCount() >= raiseLimit()) {
                room.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stats.rejected();
            throw new WaitInterruptedException("interrupted while waiting for room in pool '" + settings.name()
                    + "'; rejected " + taskClass.getName(), e);
        } finally {
            blocked--;
            lock.unlock();
        }
    }

    /** Looks at the slots given back and raises {@link #acceptLimit} to match; returns the new limit. */
    private long raiseLimit() {
        long limit = releasedCount() + capacity;
        long seen;
        while ((seen = acceptLimit) < limit) {
            if (ACCEPT_LIMIT.compareAndSet(this, seen, limit)) {
                break;
            }
        }
        return limit;
    }

    /**
     * Gives a slot back, and wakes blocked submitters.
     *
     * @param worker the number of the worker giving it back, or -1 for any other thread
     */
    public void give(int worker) {
        LONGS.getAndAdd(released, releasedIndex(worker), 1L);
        if (blocked > 0) {
            wakeAll();
        }
    }

    /** Wakes every blocked submitter, so that it looks again: a slot was given back, or the pool stopped running. */
    public void wakeAll() {
        lock.lock();
        try {
            room.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns the slots taken and not given back: tasks queued, running, or cancelled in the queue and
     * not yet skipped.
     *
     * @return the slots in use
     */
    public long inUse() {
        return acceptedCount() - releasedCount();
    }

    /**
     * Returns the slots ever taken, which is the number of tasks ever accepted.
     *
     * @return the count
     */
    public long acceptedCount() {
        return (long) LONGS.getVolatile(accepted, ACCEPTED);
    }

    private long releasedCount() {
        long sum = 0;
        for (int stripe = 0; stripe <= releasedMask + 1; stripe++) {
            sum += (long) LONGS.getVolatile(released, (stripe + 1) * SPACING);
        }
        return sum;
    }

    /** Where a worker, by number, counts the slots it gives back; other threads count in a stripe of their own. */
    private int releasedIndex(int worker) {
        return (worker < 0 ? releasedMask + 2 : (worker & releasedMask) + 1) * SPACING;
    }

    /**
     * Makes the exception for a rejected task.
     *
     * @param reason why
     * @param taskClass the task's class
     * @param count whether to count the rejection in the stats
     * @return the exception
     */
    public RejectedTaskException rejected(Reason reason, Class<?> taskClass, boolean count) {
        if (count) {
            stats.rejected();
        }
        String pool = "pool '" + settings.name() + "'";
        String message = switch (reason) {
            case SHUT_DOWN -> pool + " is shut down and accepts no more tasks";
            case QUEUE_FULL -> pool + " has a full queue (maxQueue " + settings.maxQueue() + ", all "
                    + settings.maxWorkers() + " workers busy)";
        };
        return new RejectedTaskException(reason, message + "; rejected " + taskClass.getName());
    }
}
