package dev.parx.engine.internal;

import java.util.Collection;

/**
 * The engine's hand-off between submitters and engine threads: unbounded, multi-producer,
 * multi-consumer, with a timed wait for consumers. Everything a producer did before {@link #offer}
 * happens-before whatever the consumer that takes the item does after taking it.
 *
 * <p>Two implementations exist so that the benchmarks can compare them in one run:
 * {@link HandOff}, and {@link JdkQueue} over the JDK's {@code LinkedTransferQueue}. The system
 * property {@code parx.engine.queue} ({@code handoff}, the default, or {@code jdk}) chooses, when
 * an engine is created.
 */
public sealed interface TaskQueue permits HandOff, JdkQueue {

    /**
     * Creates the queue that {@code parx.engine.queue} names.
     *
     * @return a new, empty queue
     * @throws IllegalArgumentException if the property names no queue
     */
    static TaskQueue create() {
        String name = System.getProperty("parx.engine.queue", "handoff");
        return switch (name) {
            case "handoff" -> new HandOff();
            case "jdk" -> new JdkQueue();
            default -> throw new IllegalArgumentException(
                    "-Dparx.engine.queue=" + name + " names no queue; use handoff or jdk");
        };
    }

    /**
     * Adds an item; never blocks.
     *
     * @param item the item, not null
     */
    void offer(Object item);

    /**
     * Takes the next item without waiting.
     *
     * @return the item, or null if there is none
     */
    Object poll();

    /**
     * Takes the next item, waiting at most the given time.
     *
     * @param nanos the longest wait; {@code Long.MAX_VALUE} waits without a limit
     * @return the item, or null if the time passed
     * @throws InterruptedException if interrupted while waiting
     */
    Object take(long nanos) throws InterruptedException;

    /**
     * Returns whether no item is there.
     *
     * @return true if empty
     */
    boolean isEmpty();

    /**
     * Takes every item, including those whose producers are adding them during the call.
     *
     * @param sink where they go, in order
     */
    void drainTo(Collection<Object> sink);
}
