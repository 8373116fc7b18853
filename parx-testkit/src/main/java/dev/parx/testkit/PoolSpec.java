package dev.parx.testkit;

import dev.parx.FullQueuePolicy;
import java.time.Duration;
import java.util.Objects;

/**
 * What a contract test needs of a pool; {@link PoolContract#createPool(PoolSpec)} builds a pool
 * to match it.
 *
 * @param name the pool's name; workers must be named {@code parx-<name>-...}
 * @param workers a fixed number of workers
 * @param maxQueue the queue bound
 * @param fullQueuePolicy what {@code submit} does when the queue is full
 * @param taskTimeout the default task timeout, or null for none
 */
public record PoolSpec(String name, int workers, int maxQueue, FullQueuePolicy fullQueuePolicy,
        Duration taskTimeout) {

    /**
     * Validates the spec.
     *
     * @param name the pool's name
     * @param workers a fixed number of workers
     * @param maxQueue the queue bound
     * @param fullQueuePolicy what {@code submit} does when the queue is full
     * @param taskTimeout the default task timeout, or null for none
     */
    public PoolSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(fullQueuePolicy, "fullQueuePolicy");
    }

    /**
     * Returns a spec with an unbounded queue that rejects when full and no task timeout.
     *
     * @param name the pool's name
     * @param workers the number of workers
     * @return the spec
     */
    public static PoolSpec of(String name, int workers) {
        return new PoolSpec(name, workers, Integer.MAX_VALUE, FullQueuePolicy.REJECT, null);
    }

    /**
     * Returns this spec with another queue bound and policy.
     *
     * @param bound the queue bound
     * @param policy the policy
     * @return a new spec
     */
    public PoolSpec withQueue(int bound, FullQueuePolicy policy) {
        return new PoolSpec(name, workers, bound, policy, taskTimeout);
    }

    /**
     * Returns this spec with a default task timeout.
     *
     * @param timeout the timeout
     * @return a new spec
     */
    public PoolSpec withTaskTimeout(Duration timeout) {
        return new PoolSpec(name, workers, maxQueue, fullQueuePolicy, timeout);
    }
}
