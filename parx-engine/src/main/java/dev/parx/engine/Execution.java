package dev.parx.engine;

/**
 * One run of a task as a {@link Worker} sees it: what to run, and whether it should stop. The
 * engine creates it when a worker takes the task from the queue; the worker reports what became of
 * it through its {@link WorkerContext}, which is the only way to complete it.
 *
 * <p>Thread-safe. What the submitter did before {@code submit} happens-before a worker reads
 * {@link #input()}.
 */
public interface Execution {

    /**
     * Returns the task's id, as its handle reports it: the pool's name, a dash and a number.
     *
     * @return the task id
     */
    String taskId();

    /**
     * Returns the task class, which passed the factory's {@link WorkerFactory#checkTask(Class)}.
     *
     * @return the task class
     */
    Class<?> taskClass();

    /**
     * Returns the input as submitted. It is not copied: a worker that runs the task elsewhere
     * serializes it itself.
     *
     * @return the input, which may be null
     */
    Object input();

    /**
     * Returns whether the task was asked to stop: cancelled, timed out, or its pool shut down
     * now. Once true, the handle has completed; the worker still reports the execution's end.
     *
     * @return whether the task was asked to stop
     */
    boolean isStopRequested();
}
