package dev.parx.engine;

/**
 * A resource that runs task executions for a {@link PoolEngine}: a thread of this JVM, a thread
 * that runs one command at a time, a child JVM, a slot on a cluster. The engine starts workers
 * through a {@link WorkerFactory}, hands each one executions, asks it to stop one, and hears from
 * it when it dies ({@link WorkerContext#died}).
 *
 * <p>Each worker has an engine thread of its own, named {@code parx-<pool>-<n>} like the worker,
 * on which the engine starts it, calls {@link #execute} and {@link #close}. A worker either runs
 * an execution on that thread ({@link WorkerContext#runHere}), and then {@code execute} returns
 * once it ended, or hands it elsewhere (a frame to a child process), returns at once, and reports
 * its end later, from any thread, through {@link WorkerContext#succeeded} or
 * {@link WorkerContext#failed}. Either way, every execution a worker was given ends exactly once:
 * it is reported, or the worker dies and the engine completes it with a
 * {@link dev.parx.WorkerCrashedException}.
 */
public interface Worker {

    /**
     * Returns whether {@link #stop} ends an execution while the worker stays usable (a child JVM
     * that is sent a cancel frame), rather than the engine retiring the worker at once and starting
     * another in its place (a thread, which cannot be forced to stop).
     *
     * @return false by default: the engine retires the worker when it stops one of its executions
     */
    default boolean stopsInPlace() {
        return false;
    }

    /**
     * Begins an execution. Called on the worker's engine thread, only while the worker holds
     * fewer than {@link WorkerFactory#workerCapacity()} executions.
     *
     * @param execution what to run
     * @throws Exception if the worker can no longer work: the engine treats it as the worker's
     *     death, completes every execution it held with a {@link dev.parx.WorkerCrashedException},
     *     and starts another worker
     */
    void execute(Execution execution) throws Exception;

    /**
     * Asks the worker to stop a running execution whose handle already completed (it was
     * cancelled, timed out, or its pool shut down now). Called at most once per execution, from the
     * thread that cancelled it or from the engine's timer, possibly while the execution ends by
     * itself or before {@link #execute} was called for it: a worker ignores a stop of an execution
     * it is not running.
     * A worker that does not {@linkplain #stopsInPlace() stop in place} has been retired by the
     * time this is called and runs nothing else: interrupting its thread reaches only this
     * execution. One that stops in place still reports the execution's end, and if the execution
     * does not end within a grace of its choosing, kills itself and reports its death.
     *
     * @param execution the execution to stop
     * @param interrupt whether the canceller allowed interrupting the task
     *     ({@code Future.cancel(mayInterruptIfRunning)}); a timeout always does
     */
    void stop(Execution execution, boolean interrupt);

    /**
     * Releases the worker: it retired (idle, the pool terminated, or it was retired by a stop) or
     * died. Called once, on the worker's engine thread, after its last execution ended. Must not
     * throw.
     */
    void close();
}
