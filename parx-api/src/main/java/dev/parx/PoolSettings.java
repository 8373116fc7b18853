package dev.parx;

import java.time.Duration;
import java.util.Optional;

/**
 * The validated settings shared by every pool, produced by {@link PoolBuilder}. Immutable.
 *
 * @param name the pool's name; workers are named {@code parx-<name>-<n>}
 * @param minWorkers workers kept even when idle
 * @param maxWorkers the most workers, and so the most tasks running at once
 * @param maxQueue the most tasks waiting for a worker
 * @param fullQueuePolicy what {@code submit} does when the queue is full
 * @param idleTimeout how long a worker beyond {@code minWorkers} may stay idle
 * @param defaultTaskTimeout the timeout of tasks submitted without one, or {@code null} for none
 */
public record PoolSettings(
        String name,
        int minWorkers,
        int maxWorkers,
        int maxQueue,
        FullQueuePolicy fullQueuePolicy,
        Duration idleTimeout,
        Duration defaultTaskTimeout) {

    /**
     * Returns the timeout that applies to a task submitted with the given options.
     *
     * @param options the task's options
     * @return the task's own timeout, else the pool's default, else empty
     */
    public Optional<Duration> timeoutFor(TaskOptions options) {
        return options.taskTimeout().or(() -> Optional.ofNullable(defaultTaskTimeout));
    }
}
