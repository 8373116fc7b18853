package dev.parx.threads.internal;

import java.lang.invoke.VarHandle;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The parking side of an off-heap channel: one receiver that waits for a message, any number of
 * senders that wait for room, and the wake-ups between them.
 *
 * <p>The protocol is Dekker's: a waiter publishes itself, fences, re-checks the ring, and only then
 * parks; the other side changes the ring, fences, and then reads whether anyone is waiting. With a
 * full fence on both sides, at least one of the two sees the other, so a wake-up is never lost: a
 * waiter either sees the change and does not park, or is seen and unparked. The fences are skipped
 * altogether when the channel's idle strategy never parks.
 */
public final class WakeUps {

    private final boolean enabled;
    private volatile boolean receiverWaiting;
    private volatile Thread receiverThread;
    private final AtomicInteger sendersWaiting = new AtomicInteger();
    private final Set<Thread> waitingSenders = ConcurrentHashMap.newKeySet();

    /**
     * Creates the wake-up state of one channel.
     *
     * @param enabled false if no thread of the channel ever parks
     */
    public WakeUps(boolean enabled) {
        this.enabled = enabled;
    }

    /** After a commit: wakes the receiver if it may be parked. Sender side. */
    public void afterSend() {
        if (enabled) {
            VarHandle.fullFence();
            if (receiverWaiting) {
                LockSupport.unpark(receiverThread);
            }
        }
    }

    /** After a receive freed room: wakes senders that may be parked. Receiver side. */
    public void afterReceive() {
        if (enabled) {
            VarHandle.fullFence();
            if (sendersWaiting.get() != 0) {
                waitingSenders.forEach(LockSupport::unpark);
            }
        }
    }

    /**
     * Parks the receiver for at most {@code nanos} unless {@code ready} already holds once it is
     * published as waiting.
     *
     * @param ready whether a message (or a close) is there
     * @param nanos the longest park
     */
    public void parkReceiver(BooleanSupplier ready, long nanos) {
        receiverThread = Thread.currentThread();
        receiverWaiting = true;
        VarHandle.fullFence();
        try {
            if (!ready.getAsBoolean()) {
                LockSupport.parkNanos(this, nanos);
            }
        } finally {
            receiverWaiting = false;
        }
    }

    /**
     * Parks a sender for at most {@code nanos} unless {@code ready} already holds once it is
     * published as waiting.
     *
     * @param ready whether there is room (or a close)
     * @param nanos the longest park
     */
    public void parkSender(BooleanSupplier ready, long nanos) {
        Thread me = Thread.currentThread();
        waitingSenders.add(me);
        sendersWaiting.incrementAndGet();   // a full fence
        try {
            if (!ready.getAsBoolean()) {
                LockSupport.parkNanos(this, nanos);
            }
        } finally {
            sendersWaiting.decrementAndGet();
            waitingSenders.remove(me);
        }
    }

    /** Wakes every parked thread (the channel is closing); call after publishing the close. */
    public void wakeEveryone() {
        Thread receiver = receiverThread;
        if (receiver != null) {
            LockSupport.unpark(receiver);
        }
        waitingSenders.forEach(LockSupport::unpark);
    }
}
