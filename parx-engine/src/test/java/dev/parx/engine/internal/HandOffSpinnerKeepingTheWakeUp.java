package dev.parx.engine.internal;

/**
 * {@link HandOff} broken on purpose, for the checks to catch (as it was before the fix): the
 * spinner leaves with an item and does not pass on the wake-up that producers skipped while it
 * spun, so a parked consumer sleeps through the items behind it while the spinner is busy with
 * its own.
 */
final class HandOffSpinnerKeepingTheWakeUp extends HandOff {

    HandOffSpinnerKeepingTheWakeUp(int spins, int yields) {
        super(spins, yields);
    }

    @Override
    void spinnerLeft() {
        // BROKEN: nothing; a producer that saw the spinner woke nobody
    }
}
