package dev.parx.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Collection;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * An unbounded multi-producer, multi-consumer queue whose consumers wait by spinning briefly,
 * one at a time, then parking. A producer pays for a wake-up only when its item is the only one
 * available, no consumer is spinning, and one is parked; a consumer that takes an item and leaves
 * others behind wakes the next one, as in {@code LinkedBlockingQueue}.
 *
 * <p>Thread-safe. Everything a producer did before {@link #offer} happens-before whatever the
 * consumer that takes the item does after taking it.
 *
 * <p>A count of available items works as a semaphore: a producer links its item, then counts it;
 * a consumer takes a count, then unlinks an item, which is then sure to be there. No wake-up is
 * lost: a consumer registers as parked (and only then stops spinning) before it looks at the count
 * one last time, and a producer looks for a spinner and for parked consumers after it counted.
 */
final class HandOff {

    /** Looks before parking, for a few microseconds: less than a wake-up costs. */
    private static final int SPINS = 256;

    private static final int WAITING = 0;
    private static final int WOKEN = 1;
    private static final int GONE = 2;

    private static final VarHandle STATUS;
    private static final VarHandle SPINNING;

    static {
        try {
            STATUS = MethodHandles.lookup().findVarHandle(Waiter.class, "status", int.class);
            SPINNING = MethodHandles.lookup().findVarHandle(HandOff.class, "spinning", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final class Waiter {
        final Thread thread = Thread.currentThread();
        volatile int status;
        Waiter next;
    }

    private final ConcurrentLinkedQueue<Object> items = new ConcurrentLinkedQueue<>();
    /** Items linked and not yet claimed by a consumer. */
    private final AtomicInteger available = new AtomicInteger();
    /** A Treiber stack of parked consumers; entries that left are skipped and dropped lazily. */
    private final AtomicReference<Waiter> parked = new AtomicReference<>();
    /** Whether a consumer is spinning; producers wake nobody while one is. */
    private volatile boolean spinning;

    void offer(Object item) {
        items.offer(item);
        release();
    }

    /** Counts one more available item, waking a consumer if it is the only one. */
    private void release() {
        // Read after counting. A spinning consumer will find the count, or registers as parked
        // before it stops spinning and looks once more.
        if (available.getAndIncrement() == 0 && !spinning && parked.get() != null) {
            wakeOne();
        }
    }

    /** Claims one available item, if there is one. */
    private boolean claim() {
        int n;
        while ((n = available.get()) > 0) {
            if (available.compareAndSet(n, n - 1)) {
                if (n > 1) {
                    wakeParked();   // others are left: a parked consumer can help
                }
                return true;
            }
        }
        return false;
    }

    /** Takes the next item without waiting, or returns null. */
    Object poll() {
        return claim() ? items.poll() : null;   // a claimed item is linked: never null
    }

    boolean isEmpty() {
        return available.get() == 0;
    }

    /**
     * Removes an item that no consumer took yet.
     *
     * @param item the item, compared by identity
     * @return true if it was removed
     */
    boolean remove(Object item) {
        if (!claim()) {
            return false;
        }
        if (items.removeIf(candidate -> candidate == item)) {
            return true;
        }
        release();      // not there (taken, or never counted yet): give the claim back
        return false;
    }

    void drainTo(Collection<Object> sink) {
        while (claim()) {
            sink.add(items.poll());
        }
    }

    /**
     * Takes the next item, waiting at most the given time.
     *
     * @param nanos the longest wait; {@code Long.MAX_VALUE} waits without a limit
     * @return the item, or null if the time passed
     * @throws InterruptedException if interrupted while parked
     */
    Object take(long nanos) throws InterruptedException {
        Object item = poll();
        if (item != null) {
            return item;
        }
        long deadline = nanos == Long.MAX_VALUE ? 0 : System.nanoTime() + nanos;
        Waiter me = null;
        // One consumer at a time spins; the others park at once. More spinners than that would
        // take the processor from the producers they wait for.
        if (!spinning && SPINNING.compareAndSet(this, false, true)) {
            for (int i = 0; i < SPINS; i++) {
                Thread.onSpinWait();
                if (available.get() > 0 && claim()) {
                    spinning = false;
                    return items.poll();
                }
            }
            me = new Waiter();
            push(me);   // registered before we stop spinning, so no producer skips us both
            spinning = false;
        }
        while (true) {
            if (me == null) {
                me = new Waiter();
                push(me);
            }
            // Looked at after registering: a producer counts its item, then looks for us.
            item = poll();
            while (item == null && me.status == WAITING) {
                if (Thread.interrupted()) {
                    if (!leave(me)) {
                        wakeIfAvailable();      // the wake-up we were given belongs to somebody else
                    }
                    throw new InterruptedException();
                }
                if (nanos == Long.MAX_VALUE) {
                    LockSupport.park(this);
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        if (!leave(me)) {
                            wakeIfAvailable();
                        }
                        return poll();
                    }
                    LockSupport.parkNanos(this, left);
                }
                if (me.status != WAITING) {
                    break;
                }
                item = poll();
            }
            if (item == null) {
                item = poll();        // woken: our turn
            }
            if (!leave(me) && item != null) {
                wakeIfAvailable();    // woken for an item, but we came with one of our own
            }
            if (item != null) {
                return item;
            }
            me = null;
        }
    }

    /** Marks the waiter gone; false if a producer had woken it first. */
    private static boolean leave(Waiter waiter) {
        return STATUS.compareAndSet(waiter, WAITING, GONE);
    }

    private void wakeIfAvailable() {
        if (available.get() > 0) {
            wakeParked();
        }
    }

    private void wakeParked() {
        if (parked.get() != null) {
            wakeOne();
        }
    }

    private void push(Waiter waiter) {
        Waiter head;
        do {
            head = parked.get();
            waiter.next = head;
        } while (!parked.compareAndSet(head, waiter));
    }

    private void wakeOne() {
        Waiter head;
        while ((head = parked.get()) != null) {
            if (parked.compareAndSet(head, head.next)) {
                if (STATUS.compareAndSet(head, WAITING, WOKEN)) {
                    LockSupport.unpark(head.thread);
                    return;
                }
                // It left on its own: try the next one.
            }
        }
    }
}
