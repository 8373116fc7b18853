package dev.parx.engine.internal;

/**
 * {@link HandOff} broken on purpose, for the checks to catch: a consumer registers as parked and
 * parks without looking at the list once more, so an item whose producer looked for parked
 * consumers just before the registration is never handed to it.
 */
final class HandOffParkingWithoutALastLook extends HandOff {

    HandOffParkingWithoutALastLook(int spins, int yields) {
        super(spins, yields);
    }

    @Override
    Object lookAfterRegistering() {
        return null;   // BROKEN: the look that pairs with the producer's look for parked consumers
    }
}
