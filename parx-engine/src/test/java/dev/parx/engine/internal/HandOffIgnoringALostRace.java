package dev.parx.engine.internal;

/**
 * {@link HandOff} broken on purpose, for the checks to catch: a consumer takes its item even when
 * another consumer moved the head first, as if it moved the head with a plain write, so two racing
 * consumers take the same item.
 */
final class HandOffIgnoringALostRace extends HandOff {

    @Override
    boolean moveHead(Object head, Object next) {
        super.moveHead(head, next);
        return true;   // BROKEN: a failed compare-and-set means the item belongs to somebody else
    }
}
