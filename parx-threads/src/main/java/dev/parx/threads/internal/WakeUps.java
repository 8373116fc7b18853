package dev.parx.threads.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The parking side of an off-heap channel: one receiver that waits for a message, any number of
 * senders that wait for room, and the wake-ups between them.
 *
 * <p>A waiter publishes itself, fences, re-checks the ring, and only then parks. The other side,
 * after each send or receive, reads what the waiter published with a plain volatile read (no
 * fence: on x86 an ordinary load) and unparks the waiter when it must. Without a fence after its
 * release store, that side may read before the waiter's publication arrives while the waiter
 * re-checks before the store arrives: both miss each other. Nothing bounds how late that store
 * becomes visible (the compiler may schedule the read ahead of it, and the thread may be switched
 * out in between), so no park of a waiter is unbounded: the parks of one wait last at most
 * {@link #RECHECK_NANOS}, then twice as long each time, up to {@link #MAX_RECEIVER_PARK_NANOS} for
 * the receiver and {@link #MAX_SENDER_PARK_NANOS} for a sender, and the waiter looks at the ring
 * after each. A missed wake-up thus delays a message by about as long as the receiver had waited
 * already, at most that limit; it never loses it and never hangs. The wake-up itself is what
 * normally ends a park: every later send or receive sees the publication, which the waiter's fence
 * pushed out and which stays until the waiter is woken or stops waiting. The fast path of a
 * message pays two loads instead of two full fences; an idle receiver wakes 10 times a second.
 * Nothing is done at all when the idle strategy never parks.
 *
 * <p>The receiver is woken by the next commit. Senders are woken together, once the receiver's
 * head reaches the lowest position they published: a sender first asks for room for its record
 * plus a quarter of the ring ({@link Ring#wakePosition}), so that it does not wake for every record
 * taken. That batch only comes while the receiver keeps taking records, so such a sender parks for
 * at most {@link #MAX_BATCH_PARK_NANOS} and checks that the head still moves; once it does not,
 * the sender asks for room for its record only ({@link Ring#fitPosition}). Every sender park is
 * bounded ({@link #senderParkBound}), as above; the bound also covers a publication that raced
 * with a receive while another sender's covered it.
 *
 * <p>{@link #wakeEveryone()} follows a volatile write of the channel's closed flag and every waiter
 * re-checks that flag after its own fence: Dekker's protocol, with a full fence on both sides.
 *
 * <p>Not final only so that the checks can break one step of it in a subclass ({@link #afterSend},
 * {@link #afterReceive}); nothing else extends it.
 */
public class WakeUps {

    /**
     * The longest park that follows a new publication of a waiter, after which it looks at the ring
     * once more before it parks for longer.
     */
    public static final long RECHECK_NANOS = 200_000;

    /** The longest park of the receiver: a send wakes it sooner, this bounds a missed wake-up. */
    public static final long MAX_RECEIVER_PARK_NANOS = 100_000_000;

    /** The longest park of a sender that waits for a batch of room: it checks the receiver moves. */
    public static final long MAX_BATCH_PARK_NANOS = 10_000_000;

    /** The longest park of any sender: the receiver wakes it sooner, this bounds a missed wake-up. */
    public static final long MAX_SENDER_PARK_NANOS = 100_000_000;

    private static final long NOBODY = Long.MAX_VALUE;
    private static final VarHandle SENDERS_WAKE_AT;

    static {
        try {
            SENDERS_WAKE_AT = MethodHandles.lookup().findVarHandle(WakeUps.class, "sendersWakeAt", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final boolean enabled;
    private final boolean unbounded;
    private volatile boolean receiverWaiting;
    private volatile Thread receiverThread;
    // the head position at which the waiting senders want to be woken; NOBODY if none waits
    private volatile long sendersWakeAt = NOBODY;
    private final Set<Thread> waitingSenders = ConcurrentHashMap.newKeySet();

    /**
     * Creates the wake-up state of one channel.
     *
     * @param enabled false if no thread of the channel ever parks
     */
    public WakeUps(boolean enabled) {
        this(enabled, false);
    }

    /**
     * Creates the wake-up state of one channel, for the checks with {@code unbounded}: no park is
     * cut short, not even the first after a publication ({@link #receiverParkLimit} and
     * {@link #senderParkLimit} put no bound either), so that only a wake-up ends a park. A
     * wake-up missed in the race that the bounds cover then hangs the waiter.
     *
     * @param enabled false if no thread of the channel ever parks
     * @param unbounded whether the parks go unbounded
     */
    public WakeUps(boolean enabled, boolean unbounded) {
        this.enabled = enabled;
        this.unbounded = unbounded;
    }

    /**
     * After a commit: wakes the receiver if it waits. Sender side; a load, no fence.
     *
     * @return whether it saw the receiver waiting and unparked it
     */
    public boolean afterSend() {
        if (enabled && receiverWaiting) {
            LockSupport.unpark(receiverThread);
            return true;
        }
        return false;
    }

    /**
     * After a receive freed room, or when the receiver finds the ring empty: wakes the waiting
     * senders once the head has reached the position they asked for. Receiver side; a load, no
     * fence, unless it wakes them.
     *
     * @param head the receiver's head position
     * @return whether it saw senders waiting for that position and woke them
     */
    public boolean afterReceive(long head) {
        if (enabled && head >= sendersWakeAt) {
            wakeSenders(head);
            return true;
        }
        return false;
    }

    private void wakeSenders(long head) {
        long at = sendersWakeAt;
        // a CAS, not a store: a sender that lowered the position meanwhile is not forgotten
        while (head >= at && !SENDERS_WAKE_AT.compareAndSet(this, at, NOBODY)) {
            at = sendersWakeAt;
        }
        waitingSenders.forEach(LockSupport::unpark);
    }

    /**
     * Parks the receiver for at most {@code nanos} unless {@code ready} holds once it is published
     * as waiting. The first park of a wait publishes it and lasts at most {@link #RECHECK_NANOS};
     * it stays published until {@link #receiverDone()}. The caller bounds the later parks by
     * {@link #receiverParkBound}.
     *
     * @param ready whether a message (or a close) is there
     * @param nanos the longest park
     * @param first whether this is the first park since the receiver last stopped waiting
     */
    public void parkReceiver(BooleanSupplier ready, long nanos, boolean first) {
        long park = nanos;
        if (first) {
            receiverThread = Thread.currentThread();
            receiverWaiting = true;
            VarHandle.fullFence();
            park = unbounded ? nanos : Math.min(nanos, RECHECK_NANOS);
        }
        if (!ready.getAsBoolean()) {
            LockSupport.parkNanos(this, park);
        }
    }

    /**
     * Returns how long the receiver may park at most the {@code n}-th time in one wait:
     * {@link #RECHECK_NANOS}, then twice as long each time, up to {@link #MAX_RECEIVER_PARK_NANOS}.
     *
     * @param n parks so far in this wait, from 0
     * @return nanoseconds
     */
    public static long receiverParkBound(int n) {
        return doubledBound(n, MAX_RECEIVER_PARK_NANOS);
    }

    /**
     * Returns the receiver's park bound of this channel: {@link #receiverParkBound}, or none.
     *
     * @param n parks so far in this wait, from 0
     * @return nanoseconds
     */
    public long receiverParkLimit(int n) {
        return unbounded ? Long.MAX_VALUE : receiverParkBound(n);
    }

    /** Ends the receiver's wait, however it ended; call it once after the parks of one wait. */
    public void receiverDone() {
        receiverWaiting = false;
    }

    /**
     * Registers the calling sender as waiting, before its first park; pair it with
     * {@link #senderDone()}.
     */
    public void senderWaits() {
        waitingSenders.add(Thread.currentThread());
    }

    /**
     * Returns how long a sender may park at most the {@code n}-th time in a phase of its wait:
     * {@link #RECHECK_NANOS}, then twice as long each time, up to {@link #MAX_BATCH_PARK_NANOS} while
     * it waits for a batch of room and {@link #MAX_SENDER_PARK_NANOS} once it waits for any room.
     *
     * @param n parks so far in this phase, from 0
     * @param batch whether it waits for a batch of room
     * @return nanoseconds
     */
    public static long senderParkBound(int n, boolean batch) {
        return doubledBound(n, batch ? MAX_BATCH_PARK_NANOS : MAX_SENDER_PARK_NANOS);
    }

    /**
     * Returns a sender's park bound of this channel: {@link #senderParkBound}, or none.
     *
     * @param n parks so far in this phase, from 0
     * @param batch whether it waits for a batch of room
     * @return nanoseconds
     */
    public long senderParkLimit(int n, boolean batch) {
        return unbounded ? Long.MAX_VALUE : senderParkBound(n, batch);
    }

    /** {@link #RECHECK_NANOS} doubled {@code n} times, at most {@code max}. */
    private static long doubledBound(int n, long max) {
        return n >= 20 ? max : Math.min(RECHECK_NANOS << n, max);
    }

    /**
     * Parks a registered sender for at most {@code nanos} unless {@code ready} holds once its wake
     * position is published; at most {@link #RECHECK_NANOS} if that publication is new (the receiver
     * forgets the position when it wakes the senders, and a sender lowers it).
     *
     * @param ready whether the head reached {@code wakeAt} (or the channel closed)
     * @param nanos the longest park
     * @param wakeAt the head position at which the sender wants to be woken
     */
    public void parkSender(BooleanSupplier ready, long nanos, long wakeAt) {
        long park = nanos;
        long at = sendersWakeAt;
        while (wakeAt < at) {
            if (SENDERS_WAKE_AT.compareAndSet(this, at, wakeAt)) {
                park = unbounded ? nanos : Math.min(nanos, RECHECK_NANOS);
                break;
            }
            at = sendersWakeAt;
        }
        VarHandle.fullFence();   // when no CAS was needed: the re-check reads after the set holds this sender
        if (!ready.getAsBoolean()) {
            LockSupport.parkNanos(this, park);
        }
    }

    /** Ends a sender's wait, however it ended; call it once, on the sender's thread, after its parks. */
    public void senderDone() {
        waitingSenders.remove(Thread.currentThread());
    }

    /**
     * Wakes every parked thread (the channel is closing); call after publishing the close.
     *
     * @return whether a receiver had ever published itself, and was unparked
     */
    public boolean wakeEveryone() {
        Thread receiver = receiverThread;
        if (receiver != null) {
            LockSupport.unpark(receiver);
        }
        waitingSenders.forEach(LockSupport::unpark);
        return receiver != null;
    }
}
