package dev.parx;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The settings that every pool builder shares, so that moving a task from threads to processes or
 * child JVMs is a one-word change: {@code ThreadPool.builder()} becomes {@code JvmPool.builder()}
 * and the rest stays.
 *
 * <p>Each setting may be set once; a second call throws {@link IllegalStateException}. A builder
 * is not thread-safe. Defaults: as many workers as available processors (fixed size), an unbounded
 * queue that rejects nothing, a 60 second idle timeout, no task timeout.
 *
 * @param <B> the concrete builder type
 * @param <P> the pool type that {@link #build()} returns
 */
public abstract class PoolBuilder<B extends PoolBuilder<B, P>, P extends Pool> {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final AtomicInteger UNNAMED = new AtomicInteger();

    private String name;
    private int minWorkers = -1;
    private int maxWorkers = -1;
    private boolean workersSet;
    private int maxQueue = -1;
    private FullQueuePolicy fullQueuePolicy;
    private Duration idleTimeout;
    private Duration taskTimeout;

    /** For subclasses. */
    protected PoolBuilder() {
    }

    /**
     * Names the pool; workers are named {@code parx-<name>-<n>}.
     *
     * @param name 1 to 64 letters, digits, dots, dashes or underscores
     * @return this builder
     * @throws IllegalArgumentException if the name has other characters
     * @throws IllegalStateException if the name was already set
     */
    public final B name(String name) {
        Objects.requireNonNull(name, "name");
        checkUnset(this.name == null, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "pool name must be 1 to 64 of [A-Za-z0-9._-], was '" + name + "'");
        }
        this.name = name;
        return self();
    }

    /**
     * Sets a fixed number of workers: the same as {@code minWorkers(n).maxWorkers(n)}.
     *
     * @param workers at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code workers} is less than 1
     * @throws IllegalStateException if a worker count was already set
     */
    public final B workers(int workers) {
        checkUnset(minWorkers < 0 && maxWorkers < 0, "workers");
        positive(workers, "workers");
        this.minWorkers = workers;
        this.maxWorkers = workers;
        this.workersSet = true;
        return self();
    }

    /**
     * Sets how many workers the pool keeps even when idle.
     *
     * @param minWorkers at least 0
     * @return this builder
     * @throws IllegalArgumentException if {@code minWorkers} is negative
     * @throws IllegalStateException if it was already set, also by {@link #workers(int)}
     */
    public final B minWorkers(int minWorkers) {
        checkUnset(this.minWorkers < 0, workersSet ? "minWorkers (by workers(int))" : "minWorkers");
        if (minWorkers < 0) {
            throw new IllegalArgumentException("minWorkers must be 0 or more, was " + minWorkers);
        }
        this.minWorkers = minWorkers;
        return self();
    }

    /**
     * Sets the most workers the pool runs at once, which bounds how many tasks run concurrently.
     *
     * @param maxWorkers at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code maxWorkers} is less than 1
     * @throws IllegalStateException if it was already set, also by {@link #workers(int)}
     */
    public final B maxWorkers(int maxWorkers) {
        checkUnset(this.maxWorkers < 0, workersSet ? "maxWorkers (by workers(int))" : "maxWorkers");
        positive(maxWorkers, "maxWorkers");
        this.maxWorkers = maxWorkers;
        return self();
    }

    /**
     * Bounds the number of tasks waiting for a worker; see {@link #onFullQueue(FullQueuePolicy)}.
     *
     * @param maxQueue at least 0; 0 means a task is accepted only when a worker can take it
     * @return this builder
     * @throws IllegalArgumentException if {@code maxQueue} is negative
     * @throws IllegalStateException if it was already set
     */
    public final B maxQueue(int maxQueue) {
        checkUnset(this.maxQueue < 0, "maxQueue");
        if (maxQueue < 0) {
            throw new IllegalArgumentException("maxQueue must be 0 or more, was " + maxQueue);
        }
        this.maxQueue = maxQueue;
        return self();
    }

    /**
     * Chooses what {@code submit} does when the queue is full: reject (the default) or block.
     *
     * @param policy the policy
     * @return this builder
     * @throws IllegalStateException if it was already set
     */
    public final B onFullQueue(FullQueuePolicy policy) {
        Objects.requireNonNull(policy, "policy");
        checkUnset(fullQueuePolicy == null, "onFullQueue");
        this.fullQueuePolicy = policy;
        return self();
    }

    /**
     * Sets how long a worker beyond {@code minWorkers} may stay idle before it stops.
     *
     * @param idleTimeout a positive duration
     * @return this builder
     * @throws IllegalArgumentException if not positive
     * @throws IllegalStateException if it was already set
     */
    public final B idleTimeout(Duration idleTimeout) {
        checkUnset(this.idleTimeout == null, "idleTimeout");
        this.idleTimeout = positive(idleTimeout, "idleTimeout");
        return self();
    }

    /**
     * Sets the timeout of tasks submitted without one of their own; see
     * {@link TaskOptions.Builder#timeout(Duration)}.
     *
     * @param taskTimeout a positive duration
     * @return this builder
     * @throws IllegalArgumentException if not positive
     * @throws IllegalStateException if it was already set
     */
    public final B taskTimeout(Duration taskTimeout) {
        checkUnset(this.taskTimeout == null, "taskTimeout");
        this.taskTimeout = positive(taskTimeout, "taskTimeout");
        return self();
    }

    /**
     * Builds and starts the pool.
     *
     * @return the pool
     * @throws IllegalArgumentException if the settings contradict each other, such as
     *     {@code minWorkers > maxWorkers}
     */
    public abstract P build();

    /**
     * Returns the validated settings, with defaults filled in; for implementations, which hand
     * them to their engine in {@link #build()}.
     *
     * @return the settings
     * @throws IllegalArgumentException if {@code minWorkers > maxWorkers}
     */
    protected final PoolSettings settings() {
        int max = maxWorkers > 0 ? maxWorkers : Math.max(minWorkers, Runtime.getRuntime().availableProcessors());
        int min = minWorkers >= 0 ? minWorkers : max;
        if (min > max) {
            throw new IllegalArgumentException(
                    "minWorkers (" + min + ") must not exceed maxWorkers (" + max + ")");
        }
        return new PoolSettings(
                name != null ? name : "pool" + UNNAMED.incrementAndGet(),
                min,
                max,
                maxQueue >= 0 ? maxQueue : Integer.MAX_VALUE,
                fullQueuePolicy != null ? fullQueuePolicy : FullQueuePolicy.REJECT,
                idleTimeout != null ? idleTimeout : Duration.ofSeconds(60),
                taskTimeout);
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    private static void checkUnset(boolean unset, String setting) {
        if (!unset) {
            throw new IllegalStateException(setting + " was already set");
        }
    }

    private static void positive(int value, String setting) {
        if (value < 1) {
            throw new IllegalArgumentException(setting + " must be at least 1, was " + value);
        }
    }

    private static Duration positive(Duration value, String setting) {
        Objects.requireNonNull(value, setting);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(setting + " must be positive, was " + value);
        }
        return value;
    }
}
