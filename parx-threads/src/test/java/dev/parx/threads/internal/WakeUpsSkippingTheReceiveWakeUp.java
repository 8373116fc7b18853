package dev.parx.threads.internal;

/**
 * {@link WakeUps} broken on purpose, for the checks to catch: a receive that frees room wakes
 * nobody, so a sender parked on a full channel sleeps through the room (with unbounded parks, for
 * ever).
 */
public final class WakeUpsSkippingTheReceiveWakeUp extends WakeUps {

    /** With unbounded parks, as the checks need. */
    public WakeUpsSkippingTheReceiveWakeUp() {
        super(true, true);
    }

    @Override
    public boolean afterReceive(long head) {
        return false;   // BROKEN: the senders' wake position is not even read
    }
}
