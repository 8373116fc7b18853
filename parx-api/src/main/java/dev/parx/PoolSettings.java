package dev.parx;

import java.time.Duration;
import java.util.Optional;

/**
 * The validated settings shared by every pool, with defaults filled in: what a pool
 * implementation receives from {@link PoolBuilder#settings()}. Immutable. Only a builder makes
 * one, after its checks, so that a pool's engine can trust every value.
 */
public final class PoolSettings {

    private final String name;
    private final int minWorkers;
    private final int maxWorkers;
    private final int maxQueue;
    private final FullQueuePolicy fullQueuePolicy;
    private final Duration idleTimeout;
    private final Duration defaultTaskTimeout;

    PoolSettings(String name, int minWorkers, int maxWorkers, int maxQueue, FullQueuePolicy fullQueuePolicy,
            Duration idleTimeout, Duration defaultTaskTimeout) {
        this.name = name;
        this.minWorkers = minWorkers;
        this.maxWorkers = maxWorkers;
        this.maxQueue = maxQueue;
        this.fullQueuePolicy = fullQueuePolicy;
        this.idleTimeout = idleTimeout;
        this.defaultTaskTimeout = defaultTaskTimeout;
    }

    /**
     * Returns the pool's name; workers are named {@code parx-<name>-<n>}.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Returns how many workers the pool keeps even when idle.
     *
     * @return at least 0, at most {@link #maxWorkers()}
     */
    public int minWorkers() {
        return minWorkers;
    }

    /**
     * Returns the most workers, and so the most tasks running at once (times a worker's capacity).
     *
     * @return at least 1
     */
    public int maxWorkers() {
        return maxWorkers;
    }

    /**
     * Returns the most tasks waiting for a worker.
     *
     * @return at least 0; {@link Integer#MAX_VALUE} for unbounded
     */
    public int maxQueue() {
        return maxQueue;
    }

    /**
     * Returns what {@code submit} does when the queue is full.
     *
     * @return the policy
     */
    public FullQueuePolicy fullQueuePolicy() {
        return fullQueuePolicy;
    }

    /**
     * Returns how long a worker beyond {@link #minWorkers()} may stay idle.
     *
     * @return a positive duration
     */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /**
     * Returns the timeout that applies to a task submitted with the given options.
     *
     * @param options the task's options
     * @return the task's own timeout, else the pool's default, else empty
     */
    public Optional<Duration> timeoutFor(TaskOptions options) {
        return options.taskTimeout().or(() -> Optional.ofNullable(defaultTaskTimeout));
    }

    @Override
    public String toString() {
        return "PoolSettings[name=" + name + ", minWorkers=" + minWorkers + ", maxWorkers=" + maxWorkers
                + ", maxQueue=" + maxQueue + ", onFullQueue=" + fullQueuePolicy + ", idleTimeout=" + idleTimeout
                + ", taskTimeout=" + defaultTaskTimeout + "]";
    }
}
