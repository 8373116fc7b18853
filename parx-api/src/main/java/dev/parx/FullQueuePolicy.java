package dev.parx;

/** What {@link Pool#submit} does when the pool's queue is full. */
public enum FullQueuePolicy {
    /** Throw {@link RejectedTaskException} at once (the default). */
    REJECT,
    /** Block the submitting thread until there is room, which gives backpressure. */
    BLOCK
}
