package dev.parx.threads.internal;

/**
 * {@link WakeUps} broken on purpose, for the checks to catch: a send wakes nobody, so a receiver
 * parked on an empty channel sleeps through the message (with unbounded parks, for ever).
 */
public final class WakeUpsSkippingTheSendWakeUp extends WakeUps {

    /** With unbounded parks, as the checks need. */
    public WakeUpsSkippingTheSendWakeUp() {
        super(true, true);
    }

    @Override
    public boolean afterSend() {
        return false;   // BROKEN: the receiver's publication is not even read
    }
}
