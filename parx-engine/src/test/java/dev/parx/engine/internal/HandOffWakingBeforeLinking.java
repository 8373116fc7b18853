package dev.parx.engine.internal;

/**
 * {@link HandOff} broken on purpose, for the checks to catch: a producer looks for a parked
 * consumer before it links its item rather than after, so a consumer that registers and looks in
 * between finds no item, parks, and is woken by nobody.
 */
final class HandOffWakingBeforeLinking extends HandOff {

    HandOffWakingBeforeLinking(int spins, int yields) {
        super(spins, yields);
    }

    @Override
    public void offer(Object item) {
        boolean wake = oneParksAndNoneSpins();   // BROKEN: read before the item is there
        append(item);
        if (wake) {
            wakeOne();
        }
    }
}
