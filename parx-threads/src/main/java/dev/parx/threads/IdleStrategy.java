package dev.parx.threads;

import java.time.Duration;

/**
 * How a thread waits on an {@link OffHeapChannel} that is empty (receiver) or full (sender):
 * spin, yield, or park. A channel asks its strategy once per failed attempt; the strategy either
 * waits a little itself and returns 0, or returns how long the channel may park the thread.
 *
 * <p>Parking is always safe: the channel announces a thread before it parks, and the other side,
 * which checks for such announcements after every send or receive with a plain load, wakes it: a
 * receiver at the next send; senders once a quarter of the ring is free while the receiver keeps
 * taking messages, and as soon as their message fits once it has stopped. A thread does not rely
 * on that alone, since those checks carry no fence and a send or receive that races with the
 * announcement can miss it: its parks are bounded, 200 us after an announcement, then twice as
 * long each time up to 100 ms, and it looks for itself after each. The time it returns is thus an
 * upper bound that the channel may shorten. A strategy whose {@link #mayPark()} is false lets
 * the channel skip even those loads, at the price of a thread that spins or yields for as long as
 * it waits.
 *
 * <pre>{@code
 * OffHeapChannel<byte[]> channel = OffHeapChannel.spsc(1 << 20, Codecs.bytes(), IdleStrategy.busySpin());
 * }</pre>
 *
 * <p>Implementations must be thread-safe and keep no per-thread state: the same strategy serves
 * the sender and the receiver of a channel at once. {@code round} carries the progress.
 */
public interface IdleStrategy {

    /**
     * Waits a little after the {@code round}-th consecutive attempt that made no progress.
     *
     * @param round 0 for the first failed attempt, then 1, 2, ...; reset after progress
     * @return 0 if the strategy waited itself (spun or yielded) and the caller should try again, or
     *     a positive number of nanoseconds the caller may park (it is woken earlier by the other side,
     *     by a close, an interrupt, or its own deadline)
     */
    long idle(int round);

    /**
     * Returns whether {@link #idle(int)} may ever return a park time. A channel whose strategy
     * never parks skips the wake-up protocol. The answer must never change.
     *
     * @return true by default
     */
    default boolean mayPark() {
        return true;
    }

    /**
     * The default: spin 100 rounds, yield 20 rounds, then park until woken; an idle channel costs no
     * CPU.
     *
     * @return the strategy
     */
    static IdleStrategy backoff() {
        return IdleStrategies.Backoff.DEFAULT;
    }

    /**
     * Spins {@code spins} rounds, then yields {@code yields} rounds, then parks for at most
     * {@code maxPark} at a time.
     *
     * @param spins rounds of {@link Thread#onSpinWait()}, at least 0
     * @param yields rounds of {@link Thread#yield()}, at least 0
     * @param maxPark the longest single park, positive; the thread is woken sooner by the other side
     * @return the strategy
     * @throws IllegalArgumentException if a count is negative or {@code maxPark} is not positive
     */
    static IdleStrategy backoff(int spins, int yields, Duration maxPark) {
        return new IdleStrategies.Backoff(spins, yields, maxPark);
    }

    /**
     * Never parks: spins with {@link Thread#onSpinWait()}. Lowest latency; burns a core while
     * waiting. Meant for a dedicated thread on a machine with cores to spare.
     *
     * @return the strategy
     */
    static IdleStrategy busySpin() {
        return IdleStrategies.BusySpin.INSTANCE;
    }
}
