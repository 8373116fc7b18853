package dev.parx.engine;

/**
 * Starts the {@link Worker}s of one pool: what a pool adds to the {@link PoolEngine}, beside its
 * settings.
 *
 * <pre>{@code
 * WorkerFactory threads = context -> new Worker() {
 *     final Thread thread = Thread.currentThread();     // the engine thread; start runs on it
 *     public void execute(Execution execution) { context.runHere(execution); }
 *     public void stop(Execution execution, boolean interrupt) { if (interrupt) thread.interrupt(); }
 *     public void close() { }
 * };
 * }</pre>
 *
 * <p>Thread-safe: the engine calls {@link #start} on the new worker's engine thread, so several
 * workers may start at once.
 */
@FunctionalInterface
public interface WorkerFactory {

    /**
     * Returns the factory of the workers of {@code ThreadPool} and {@code CommandPool}: each runs
     * its executions on its engine thread, one at a time, and is stopped by interrupting that
     * thread.
     *
     * @return the factory
     */
    static WorkerFactory sameThread() {
        return context -> new SameThreadWorker(context);
    }

    /**
     * Starts a worker. Called on the worker's engine thread, which may block here as long as the
     * start takes (a child JVM until it said hello).
     *
     * @param context the engine's side of this worker: its id, and where it reports what happens
     * @return the started worker
     * @throws Exception if the worker cannot start; the engine fails the next queued task with a
     *     {@link dev.parx.WorkerCrashedException} that says why, so that no task waits for a worker
     *     that will never come
     */
    Worker start(WorkerContext context) throws Exception;

    /**
     * Checks, when a task is submitted, that these workers can run its class.
     *
     * @param taskClass the submitted class
     * @throws IllegalArgumentException naming the class and what is wrong with it
     */
    default void checkTask(Class<?> taskClass) {
        TaskClasses.check(taskClass);
    }

    /**
     * Returns how many executions each worker holds at once. Above 1, workers must
     * {@linkplain Worker#stopsInPlace() stop in place}, and up to {@code maxWorkers} times this
     * many tasks run at once.
     *
     * @return at least 1; 1 by default
     */
    default int workerCapacity() {
        return 1;
    }

    /**
     * Returns whether the engine threads of these workers are virtual threads, for workers whose
     * tasks mostly wait.
     *
     * @return false by default: platform threads
     */
    default boolean virtualThreads() {
        return false;
    }
}
