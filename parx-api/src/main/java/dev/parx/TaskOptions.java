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
 * }</pre>
 */
public final class TaskOptions {

    private static final TaskOptions DEFAULTS = new TaskOptions(null);

    private final Duration timeout;

    private TaskOptions(Duration timeout) {
        this.timeout = timeout;
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

    @Override
    public boolean equals(Object other) {
        return other instanceof TaskOptions that && Objects.equals(timeout, that.timeout);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(timeout);
    }

    @Override
    public String toString() {
        return "TaskOptions[timeout=" + timeout + "]";
    }

    /** Builds {@link TaskOptions}. Not thread-safe; each setting may be set once. */
    public static final class Builder {

        private Duration timeout;

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
         * Returns the options.
         *
         * @return immutable options
         */
        public TaskOptions build() {
            return timeout == null ? DEFAULTS : new TaskOptions(timeout);
        }
    }
}
