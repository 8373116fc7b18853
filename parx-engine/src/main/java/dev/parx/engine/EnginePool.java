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
 * class is only its builder and its {@link WorkerFactory}. Thread-safe, with the engine's
 * happens-before guarantees.
 */
public abstract class EnginePool implements Pool {

    private final PoolEngine engine;

    /**
     * For subclasses.
     *
     * @param engine the engine the pool delegates to
     */
    protected EnginePool(PoolEngine engine) {
        this.engine = Objects.requireNonNull(engine, "engine");
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
