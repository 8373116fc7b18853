package dev.parx.threads;

import dev.parx.Pool;
import dev.parx.PoolBuilder;
import dev.parx.engine.EnginePool;
import dev.parx.engine.PoolEngine;
import dev.parx.engine.Worker;
import dev.parx.engine.WorkerContext;
import dev.parx.engine.WorkerFactory;
import java.time.Duration;

/**
 * A {@link Pool} whose workers are threads of this JVM.
 *
 * <pre>{@code
 * try (ThreadPool pool = ThreadPool.builder().name("primes").workers(4).maxQueue(1000).build()) {
 *     TaskHandle<Long> handle = pool.submit(CountPrimes.class, new Range(0, 1_000_000));
 *     handle.onProgress((fraction, step) -> log.info("{}% {}", (int) (fraction * 100), step));
 *     long primes = handle.join();
 * }
 * }</pre>
 *
 * <p>Workers are platform threads named {@code parx-<name>-<n>} (or, with {@link
 * Builder#virtualThreads()}, virtual threads of the same names) and are started on demand, up to
 * {@code maxWorkers}; workers beyond {@code minWorkers} stop after {@code idleTimeout}. Inputs,
 * outputs and messages are passed by reference: nothing is copied, so the submitter must not
 * mutate an input after submitting it.
 *
 * <p>Cancelling a running task, or its timeout, interrupts its thread and sets its
 * {@code TaskContext.isCancelled()}; the pool does not wait for the task to notice: it starts a
 * replacement worker at once, so a task that ignores cancellation cannot shrink the pool. Such a
 * thread is still awaited by {@link #awaitTermination(Duration)}. A task that throws an
 * {@link Error} such as {@link StackOverflowError} fails alone; its worker keeps running.
 *
 * <p>Thread-safe. Actions before {@code submit} happen-before the task runs; the task's actions
 * happen-before its handle completes.
 */
public final class ThreadPool extends EnginePool {

    private ThreadPool(PoolEngine engine) {
        super(engine);
    }

    /**
     * Returns a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds a {@link ThreadPool}; the shared settings are those of {@link PoolBuilder}.
     * Not thread-safe; each setting may be set once.
     */
    public static final class Builder extends PoolBuilder<Builder, ThreadPool> {

        private boolean virtualThreads;

        private Builder() {
        }

        /**
         * Runs tasks on virtual threads, for tasks that mostly wait on I/O. {@code maxWorkers}
         * still bounds how many run at once.
         *
         * @return this builder
         * @throws IllegalStateException if already set
         */
        public Builder virtualThreads() {
            if (virtualThreads) {
                throw new IllegalStateException("virtualThreads was already set");
            }
            virtualThreads = true;
            return this;
        }

        @Override
        public ThreadPool build() {
            boolean virtual = virtualThreads;
            WorkerFactory threads = WorkerFactory.sameThread();
            return new ThreadPool(new PoolEngine(settings(), new WorkerFactory() {
                @Override
                public Worker start(WorkerContext context) throws Exception {
                    return threads.start(context);
                }

                @Override
                public boolean virtualThreads() {
                    return virtual;
                }
            }));
        }
    }
}
