package dev.parx;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Per-task settings given to {@link Pool#submit(Class, Object, TaskOptions)}. Immutable and
 * thread-safe.
 *
 * <pre>{@code
 * pool.submit(Resize.class, image, TaskOptions.builder().timeout(Duration.ofSeconds(5)).build());
 * pool.submit(Render.class, page, TaskOptions.builder().retryOnCrash(2).build());   // idempotent work only
 * }</pre>
 */
public final class TaskOptions {

    /** The most times a task may run again after crashes. */
    public static final int MAX_CRASH_RETRIES = 100;

    private static final TaskOptions DEFAULTS = new TaskOptions(null, 0);

    private final Duration timeout;
    private final int crashRetries;

    private TaskOptions(Duration timeout, int crashRetries) {
        this.timeout = timeout;
        this.crashRetries = crashRetries;
    }

    /**
     * Returns options with every setting left to the pool's defaults.
     *
     * @return the default options
     */
    public static TaskOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Returns options with only a timeout set.
     *
     * @param timeout the longest time the task may run, counted from when it starts running
     * @return the options
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    public static TaskOptions timeout(Duration timeout) {
        return builder().timeout(timeout).build();
    }

    /**
     * Returns a builder for task options.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the task's own timeout, if one was set; otherwise the pool's default applies.
     *
     * @return the timeout
     */
    public Optional<Duration> taskTimeout() {
        return Optional.ofNullable(timeout);
    }

    /**
     * Returns how many times the task runs again, on another worker, when the worker running it
     * dies (a child JVM that exits or is killed, a cluster member that leaves); 0 by default.
     *
     * @return from 0 to {@link #MAX_CRASH_RETRIES}
     */
    public int crashRetries() {
        return crashRetries;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TaskOptions that && Objects.equals(timeout, that.timeout)
                && crashRetries == that.crashRetries;
    }

    @Override
    public int hashCode() {
        return Objects.hash(timeout, crashRetries);
    }

    @Override
    public String toString() {
        return "TaskOptions[timeout=" + timeout + ", crashRetries=" + crashRetries + "]";
    }

    /** Builds {@link TaskOptions}. Not thread-safe; each setting may be set once. */
    public static final class Builder {

        private Duration timeout;
        private int crashRetries = -1;

        private Builder() {
        }

        /**
         * Sets the longest time the task may run, counted from when a worker starts it. When it
         * passes, the handle completes with {@link TaskTimeoutException} and the task is cancelled.
         *
         * @param timeout a positive duration
         * @return this builder
         * @throws IllegalArgumentException if {@code timeout} is not positive
         * @throws IllegalStateException if the timeout was already set
         */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (this.timeout != null) {
                throw new IllegalStateException("timeout was already set to " + this.timeout);
            }
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, was " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * Lets the task run again, on another worker, when the worker running it dies under it: a
         * child JVM that exits, is killed or runs out of memory, a cluster member that leaves. Only
         * for idempotent tasks: a task that crashed may have done part of its work. A task that
         * fails, is cancelled or times out never runs again; once the retries are spent, the handle
         * completes with the last {@link WorkerCrashedException}. A pool shutting down runs no retry.
         *
         * @param times how many more runs, from 0 to {@link #MAX_CRASH_RETRIES}
         * @return this builder
         * @throws IllegalArgumentException if {@code times} is out of range
         * @throws IllegalStateException if the retries were already set
         */
        public Builder retryOnCrash(int times) {
            if (crashRetries >= 0) {
                throw new IllegalStateException("retryOnCrash was already set to " + crashRetries);
            }
            if (times < 0 || times > MAX_CRASH_RETRIES) {
                throw new IllegalArgumentException("retryOnCrash must be from 0 to " + MAX_CRASH_RETRIES + ", was " + times);
            }
            crashRetries = times;
            return this;
        }

        /**
         * Returns the options.
         *
         * @return immutable options
         */
        public TaskOptions build() {
            int retries = Math.max(0, crashRetries);
            return timeout == null && retries == 0 ? DEFAULTS : new TaskOptions(timeout, retries);
        }
    }
}
