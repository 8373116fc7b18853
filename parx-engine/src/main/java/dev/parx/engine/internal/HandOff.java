package dev.parx.engine.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Collection;
import java.util.concurrent.locks.LockSupport;

/**
 * An unbounded multi-producer, multi-consumer queue whose consumers wait by spinning briefly,
 * one at a time (the others yield a few times), then parking. A producer pays for a wake-up only
 * when no consumer is spinning and one is parked; a consumer that takes an item and sees others
 * behind it wakes the next one, as in
 * {@code LinkedBlockingQueue}.
 *
 * <p>Thread-safe. Everything a producer did before {@link #offer} happens-before whatever the
 * consumer that takes the item does after taking it.
 *
 * <p>The items form a linked list. A producer appends by swapping the tail, without a retry loop,
 * then links the node it replaced to its own; consumers take by moving the head. There is no shared
 * count, and the head, the tail, the stack of parked consumers and the spinner's flag each sit on a
 * cache line of their own, 128 bytes from the others, in one array that the collector never
 * splits: producers and consumers meet only at the nodes themselves. An item whose producer
 * swapped the tail but has not linked it yet is not there for consumers; its producer looks for
 * parked consumers after linking.
 *
 * <p>No wake-up is lost: a consumer registers as parked (and only then stops spinning) before it
 * looks at the list one last time, and a producer looks for a spinner and for parked consumers
 * after it linked its node.
 *
 * <p>Not final only so that the checks of this package can break one step of it in a subclass
 * ({@link #moveHead}, {@link #offer}, {@link #lookAfterRegistering}, {@link #spinnerLeft}); nothing
 * else extends it, so the calls are inlined.
 */
public non-sealed class HandOff implements TaskQueue {

    /** Looks before parking, for a few microseconds: less than a wake-up costs. */
    static final int SPINS = 256;
    /** How often a consumer that is not the spinner gives up its processor and looks, before parking. */
    static final int YIELDS = 8;

    private static final int WAITING = 0;
    private static final int WOKEN = 1;
    private static final int GONE = 2;

    /** Slots of {@link #ends}: 128 bytes apart and from either end of the array. */
    private static final int HEAD = 32;
    private static final int TAIL = 64;
    private static final int PARKED = 96;
    private static final int SPINNING = 128;

    private static final VarHandle STATUS;
    private static final VarHandle NEXT;
    private static final VarHandle ENDS = MethodHandles.arrayElementVarHandle(Object[].class);

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATUS = lookup.findVarHandle(Waiter.class, "status", int.class);
            NEXT = lookup.findVarHandle(Node.class, "next", Node.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final class Node {
        Object item;        // written before the node is linked; cleared once it is the head and nothing follows
        volatile Node next;

        Node(Object item) {
            this.item = item;
        }
    }

    private static final class Waiter {
        final Thread thread = Thread.currentThread();
        volatile int status;
        Waiter next;
    }

    /**
     * The head node (its item already taken) at {@link #HEAD}; the last node at {@link #TAIL}; at
     * {@link #PARKED}, a Treiber stack of parked consumers, whose entries that left are skipped and
     * dropped lazily; at {@link #SPINNING}, non-null while a consumer spins (producers then wake
     * nobody).
     */
    private final Object[] ends = new Object[SPINNING + 32];
    private final int spins;
    private final int yields;

    /** Creates an empty queue. */
    public HandOff() {
        this(SPINS, YIELDS);
    }

    /**
     * With other spin and yield counts: the checks turn both off, so that a consumer that finds
     * nothing parks at once and each wake-up has to come from a producer or another consumer.
     */
    HandOff(int spins, int yields) {
        this.spins = spins;
        this.yields = yields;
        Node empty = new Node(null);
        ends[HEAD] = empty;
        ends[TAIL] = empty;
    }

    @Override
    public void offer(Object item) {
        append(item);
        // Read after linking: a consumer registers as parked, or stops spinning, then looks.
        if (oneParksAndNoneSpins()) {
            wakeOne();
        }
    }

    /** Links a node for {@code item} after the last: swaps the tail, then links the node it replaced. */
    final void append(Object item) {
        Node node = new Node(item);
        Node previous = (Node) ENDS.getAndSet(ends, TAIL, node);
        previous.next = node;
    }

    /** Whether a producer owes a wake-up: a consumer is parked and none spins. */
    final boolean oneParksAndNoneSpins() {
        return !spinning() && parked() != null;
    }

    /** Moves the head from {@code head} to {@code next}; false if another consumer moved it first. */
    boolean moveHead(Object head, Object next) {
        return ENDS.compareAndSet(ends, HEAD, head, next);
    }

    /**
     * Takes the next item without waiting, or returns null.
     *
     * <p>A consumer only reads the nodes: it reads the item before it moves the head, and the node
     * becomes the head with its item still in it, so that consumers taking one after another do
     * not write to each other's nodes. The head's item is let go when a consumer finds nothing
     * behind it; by then the consumer that moved the head has read it.
     */
    @Override
    public Object poll() {
        while (true) {
            Node head = (Node) ENDS.getVolatile(ends, HEAD);
            Node next = head.next;
            if (next == null) {
                if (head.item != null) {
                    head.item = null;   // idle: do not keep the last item alive
                }
                return null;
            }
            Object item = next.item;
            if (moveHead(head, next)) {
                // Others behind it: a parked consumer can help. (Looks at the parked first: the
                // last node is the one a producer is about to write to.)
                if (parked() != null && next.next != null) {
                    wakeOne();
                }
                return item;
            }
        }
    }

    private boolean spinning() {
        return ENDS.getVolatile(ends, SPINNING) != null;
    }

    private Waiter parked() {
        return (Waiter) ENDS.getVolatile(ends, PARKED);
    }

    private boolean hasItems() {
        return ((Node) ENDS.getVolatile(ends, HEAD)).next != null;
    }

    @Override
    public boolean isEmpty() {
        return !hasItems();
    }

    /**
     * Takes every item, including those whose producers swapped the tail before this call and
     * link them only now: it waits out those few instructions, so that an item queued before the
     * drain is never left behind it.
     */
    @Override
    public void drainTo(Collection<Object> sink) {
        int waited = 0;
        while (true) {
            Object item = poll();
            if (item != null) {
                sink.add(item);
            } else if (ENDS.getVolatile(ends, HEAD) == ENDS.getVolatile(ends, TAIL)) {
                return;
            } else if (++waited < 64) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    /**
     * Takes the next item, waiting at most the given time.
     *
     * @param nanos the longest wait; {@code Long.MAX_VALUE} waits without a limit
     * @return the item, or null if the time passed
     * @throws InterruptedException if interrupted while parked
     */
    @Override
    public Object take(long nanos) throws InterruptedException {
        Object item = poll();
        if (item != null) {
            return item;
        }
        long deadline = nanos == Long.MAX_VALUE ? 0 : System.nanoTime() + nanos;
        Waiter me = null;
        // One consumer at a time spins; the others yield a few times, then park. More spinners
        // would take the processor from the producers they wait for; yielding hands it to them,
        // and a consumer that finds an item that way spares a wake-up on both sides.
        if (!spinning() && ENDS.compareAndSet(ends, SPINNING, null, Boolean.TRUE)) {
            item = lookBetween(spins, false);
            if (item == null) {
                me = new Waiter();
                push(me);   // registered before we stop spinning, so no producer skips us both
            }
            ENDS.setVolatile(ends, SPINNING, null);
            if (item != null) {
                spinnerLeft();
                return item;
            }
        } else if ((item = lookBetween(yields, true)) != null) {
            return item;
        }
        return parkForItem(me, nanos, deadline);
    }

    // The waiting phases are methods of their own, so that the compiler treats each on its own:
    // a path first taken late (a yield that finds an item) then recompiles only a small method.

    /**
     * After the spinner stopped spinning with an item: a producer that linked an item while it spun
     * saw it and woke nobody, so a parked consumer may be owed that wake-up. Read after the spinner's
     * flag is cleared.
     */
    void spinnerLeft() {
        wakeIfAvailable();
    }

    /** Looks for an item the given number of times, spinning or yielding the processor before each look. */
    private Object lookBetween(int rounds, boolean yielding) {
        for (int i = 0; i < rounds; i++) {
            if (yielding) {
                Thread.yield();
            } else {
                Thread.onSpinWait();
            }
            if (hasItems()) {
                Object item = poll();
                if (item != null) {
                    return item;
                }
            }
        }
        return null;
    }

    /** Parks until woken with an item, the time passes, or an interrupt; {@code me} may be registered already. */
    private Object parkForItem(Waiter me, long nanos, long deadline) throws InterruptedException {
        while (true) {
            if (me == null) {
                me = new Waiter();
                push(me);
            }
            Object item = lookAfterRegistering();
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
                item = poll();        // woken: most likely for an item
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

    /**
     * The consumer's last look before it parks, after registering: a producer links its item, then
     * looks for parked consumers, so one of the two sees the other.
     */
    Object lookAfterRegistering() {
        return poll();
    }

    /** Marks the waiter gone; false if a producer had woken it first. */
    private static boolean leave(Waiter waiter) {
        return STATUS.compareAndSet(waiter, WAITING, GONE);
    }

    private void wakeIfAvailable() {
        if (hasItems()) {
            wakeParked();
        }
    }

    private void wakeParked() {
        if (parked() != null) {
            wakeOne();
        }
    }

    private void push(Waiter waiter) {
        Waiter head;
        do {
            head = parked();
            waiter.next = head;
        } while (!ENDS.compareAndSet(ends, PARKED, head, waiter));
    }

    /** Wakes the most recently parked consumer that still waits, if any. */
    final void wakeOne() {
        Waiter head;
        while ((head = parked()) != null) {
            if (ENDS.compareAndSet(ends, PARKED, head, head.next)) {
                if (STATUS.compareAndSet(head, WAITING, WOKEN)) {
                    LockSupport.unpark(head.thread);
                    return;
                }
                // It left on its own: try the next one.
            }
        }
    }
}
