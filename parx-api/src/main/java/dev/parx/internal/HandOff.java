package dev.parx.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Collection;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * An unbounded multi-producer, multi-consumer queue whose consumers wait by spinning briefly,
 * then parking; a producer pays for a wake-up only when a consumer is actually
 * parked. This is what makes a pool's hand-off cheap when tasks arrive faster than a wake-up
 * takes: a worker that just finished finds the next task without ever parking.
 *
 * <p>Thread-safe. Everything a producer did before {@link #offer} happens-before whatever the
 * consumer that takes the item does after taking it.
 *
 * <p>No wake-up is lost: a consumer registers as parked before it looks at the queue one last
 * time, and a producer looks for parked consumers after it enqueued; a consumer that was woken
 * but took another item passes the wake-up on.
 */
final class HandOff {

    /** Polls before parking: a few microseconds, about what a wake-up costs on Linux. */
    private static final int SPINS = 256;

    private static final int WAITING = 0;
    private static final int WOKEN = 1;
    private static final int GONE = 2;

    private static final VarHandle STATUS;

    static {
        try {
            STATUS = MethodHandles.lookup().findVarHandle(Waiter.class, "status", int.class);
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
    /** A Treiber stack of parked consumers; entries that left are skipped and dropped lazily. */
    private final AtomicReference<Waiter> parked = new AtomicReference<>();

    void offer(Object item) {
        items.offer(item);
        if (parked.get() != null) {
            wakeOne();
        }
    }

    Object poll() {
        return items.poll();
    }

    boolean isEmpty() {
        return items.isEmpty();
    }

    boolean remove(Object item) {
        return items.remove(item);
    }

    void drainTo(Collection<Object> sink) {
        Object item;
        while ((item = items.poll()) != null) {
            sink.add(item);
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
        Object item;
        for (int i = 0; i < SPINS; i++) {
            if ((item = items.poll()) != null) {
                return item;
            }
            Thread.onSpinWait();
        }
        long deadline = nanos == Long.MAX_VALUE ? 0 : System.nanoTime() + nanos;
        while (true) {
            Waiter me = new Waiter();
            push(me);
            // Looked at after registering: a producer enqueues, then looks for registered consumers.
            item = items.poll();
            while (item == null && me.status == WAITING) {
                if (Thread.interrupted()) {
                    if (!leave(me)) {
                        passOn();
                    }
                    throw new InterruptedException();
                }
                if (nanos == Long.MAX_VALUE) {
                    LockSupport.park(this);
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        if (!leave(me)) {
                            passOn();   // woken as we gave up: the wake-up belongs to somebody else
                        }
                        return items.poll();
                    }
                    LockSupport.parkNanos(this, left);
                }
                if (me.status != WAITING) {
                    break;
                }
                item = items.poll();
            }
            if (item == null) {
                item = items.poll();        // woken: our turn
            }
            if (!leave(me) && item != null) {
                passOn();   // we were woken for an item but came with one of our own
            }
            if (item != null) {
                return item;
            }
        }
    }

    /** Marks the waiter gone; false if a producer had woken it first. */
    private static boolean leave(Waiter waiter) {
        return STATUS.compareAndSet(waiter, WAITING, GONE);
    }

    private void passOn() {
        if (!items.isEmpty()) {
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
