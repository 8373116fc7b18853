package dev.parx.engine;

import dev.parx.Pool;
import dev.parx.PoolStats;
import dev.parx.Task;
import dev.parx.TaskHandle;
import dev.parx.TaskOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * A {@link Pool} that is its {@link PoolEngine}: every method delegates to it, so that a pool
 * class is only its builder and its {@link WorkerFactory}. A pool that holds resources of its own
 * (a connection, a subscription, a directory) releases them in {@link #terminated()}, which runs
 * once however the pool ends. Thread-safe, with the engine's happens-before guarantees.
 */
public abstract class EnginePool implements Pool {

    private final PoolEngine engine;

    /**
     * For subclasses.
     *
     * @param engine the engine the pool delegates to, which must not have terminated; the pool
     *     runs {@link #terminated()} when it does
     * @throws IllegalStateException if the engine terminates or terminated already
     */
    // The engine calls terminated() only once it was shut down, which the pool's constructor does not do.
    @SuppressWarnings("this-escape")
    protected EnginePool(PoolEngine engine) {
        this.engine = Objects.requireNonNull(engine, "engine");
        engine.onTermination(this::terminated);
    }

    /**
     * Called once when the pool terminates, for a subclass to release what it holds; does nothing
     * by default. It runs after the pool was shut down ({@link #close()} or {@link #shutdownNow()}),
     * every task ended and every worker was closed, and before {@link #isTerminated()} turns true,
     * so that {@code close()}, or an {@code awaitTermination} that returns true, returns after it
     * did. It runs on the thread that made the pool quiescent (the engine thread of the last worker
     * to leave, or the caller of {@code close} or {@code shutdownNow}), with no lock held, so it
     * must not wait for the pool's termination: {@code close()} and {@code awaitTermination} called
     * from it throw {@link IllegalStateException}. What it throws is logged at WARN, and the pool
     * terminates all the same. See {@link PoolEngine#onTermination}.
     */
    protected void terminated() {
    }

    @Override
    public <I, O> TaskHandle<O> submit(Class<? extends Task<I, O>> task, I input, TaskOptions options) {
        return engine.submit(task, input, options);
    }

    @Override
    public final PoolStats stats() {
        return engine.stats();
    }

    @Override
    public final void close() {
        engine.close();
    }

    @Override
    public final void shutdownNow() {
        engine.shutdownNow();
    }

    @Override
    public final boolean isShutdown() {
        return engine.isShutdown();
    }

    @Override
    public final boolean isTerminated() {
        return engine.isTerminated();
    }

    @Override
    public final boolean awaitTermination(Duration timeout) throws InterruptedException {
        return engine.awaitTermination(timeout);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + engine + "]";
    }
}
