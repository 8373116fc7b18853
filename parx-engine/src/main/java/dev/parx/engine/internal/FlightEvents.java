package dev.parx.engine.internal;

import java.util.concurrent.CancellationException;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * The engine's JDK Flight Recorder events, one per step of a task's and a worker's life, named
 * {@code dev.parx.*} under the category "parx". Every pool emits them, since the engine does. They
 * cost one check of a flag while no recording asks for them, and carry no stack trace.
 *
 * <p>Stateless; any thread.
 */
public final class FlightEvents {

    private FlightEvents() {
    }

    /** Fields every task event has. */
    @Category("parx")
    @StackTrace(false)
    abstract static class TaskEvent extends Event {
        @Label("Pool")
        String pool;
        @Label("Task Id")
        String taskId;
        @Label("Task Class")
        String taskClass;
    }

    /** A pool accepted a task. */
    @Name("dev.parx.TaskQueued")
    @Label("Task Queued")
    @Description("A pool accepted a task, which waits for a worker")
    static final class TaskQueued extends TaskEvent {
    }

    /** A worker started a task. */
    @Name("dev.parx.TaskStarted")
    @Label("Task Started")
    @Description("A worker started a task")
    static final class TaskStarted extends TaskEvent {
        @Label("Worker")
        String worker;
        @Label("Wait Time")
        @Timespan(Timespan.NANOSECONDS)
        long waitTime;
    }

    /** Fields of the events that end a task. */
    abstract static class TaskEnd extends TaskEvent {
        @Label("Worker")
        @Description("The worker that ran it; null if none started it")
        String worker;
        @Label("Wait Time")
        @Timespan(Timespan.NANOSECONDS)
        long waitTime;
        @Label("Run Time")
        @Timespan(Timespan.NANOSECONDS)
        long runTime;
    }

    /** A task returned an output. */
    @Name("dev.parx.TaskFinished")
    @Label("Task Finished")
    @Description("A task returned its output")
    static final class TaskFinished extends TaskEnd {
    }

    /** A task failed, timed out or lost its worker. */
    @Name("dev.parx.TaskFailed")
    @Label("Task Failed")
    @Description("A task threw, timed out, or its worker died under it")
    static final class TaskFailed extends TaskEnd {
        @Label("Failure")
        String failure;
        @Label("Message")
        String message;
    }

    /** A task was cancelled. */
    @Name("dev.parx.TaskCancelled")
    @Label("Task Cancelled")
    @Description("A task was cancelled, in the queue or while it ran")
    static final class TaskCancelled extends TaskEnd {
    }

    /** Fields every worker event has. */
    @Category("parx")
    @StackTrace(false)
    abstract static class WorkerEvent extends Event {
        @Label("Pool")
        String pool;
        @Label("Worker")
        String worker;
    }

    /** A worker started. */
    @Name("dev.parx.WorkerStarted")
    @Label("Worker Started")
    @Description("A pool started a worker, which is ready for tasks")
    static final class WorkerStarted extends WorkerEvent {
        @Label("Startup")
        @Timespan(Timespan.NANOSECONDS)
        long startup;
    }

    /** A worker was retired. */
    @Name("dev.parx.WorkerRecycled")
    @Label("Worker Recycled")
    @Description("A worker left: idle beyond the minimum, stopped with a task, or done with its tasks")
    static final class WorkerRecycled extends WorkerEvent {
        @Label("Reason")
        String reason;
    }

    /** A worker died. */
    @Name("dev.parx.WorkerCrashed")
    @Label("Worker Crashed")
    @Description("A worker died; the tasks it held failed or run again")
    static final class WorkerCrashed extends WorkerEvent {
        @Label("Reason")
        String reason;
        @Label("Exit Code")
        @Description("The exit code or, above 128, 128 plus the signal; -1 if unknown")
        int exitCode;
    }

    /**
     * A pool accepted a task.
     *
     * @param pool the pool's name
     * @param run the task
     */
    public static void queued(String pool, TaskRun<?> run) {
        TaskQueued event = new TaskQueued();
        if (event.shouldCommit()) {
            event.pool = pool;
            event.taskId = run.id();
            event.taskClass = run.taskClass().getName();
            event.commit();
        }
    }

    /**
     * A worker started a task.
     *
     * @param pool the pool's name
     * @param run the task
     * @param worker the worker's id
     */
    public static void started(String pool, TaskRun<?> run, String worker) {
        TaskStarted event = new TaskStarted();
        if (event.shouldCommit()) {
            event.pool = pool;
            event.taskId = run.id();
            event.taskClass = run.taskClass().getName();
            event.worker = worker;
            event.waitTime = run.startedNanos() - run.submittedNanos();
            event.commit();
        }
    }

    /** A task's handle completed; {@code started} tells whether a worker had started it. Called by the stats. */
    static void ended(String pool, TaskRun<?> run, Throwable failure, long nanos, boolean started) {
        // One allocation per branch, each checked on its own: an event that is never committed
        // then costs no allocation on the path every task takes.
        if (failure == null) {
            TaskFinished event = new TaskFinished();
            if (event.shouldCommit()) {
                commitEnd(event, pool, run, nanos, started);
            }
        } else if (failure instanceof CancellationException) {
            TaskCancelled event = new TaskCancelled();
            if (event.shouldCommit()) {
                commitEnd(event, pool, run, nanos, started);
            }
        } else {
            TaskFailed event = new TaskFailed();
            if (event.shouldCommit()) {
                event.failure = failure.getClass().getName();
                event.message = failure.getMessage();
                commitEnd(event, pool, run, nanos, started);
            }
        }
    }

    private static void commitEnd(TaskEnd event, String pool, TaskRun<?> run, long nanos, boolean started) {
        event.pool = pool;
        event.taskId = run.id();
        event.taskClass = run.taskClass().getName();
        Object worker = run.worker();
        event.worker = started && worker != null ? worker.toString() : null;
        long start = started ? run.startedNanos() : nanos;
        event.waitTime = start - run.submittedNanos();
        event.runTime = nanos - start;
        event.commit();
    }

    /**
     * A worker started.
     *
     * @param pool the pool's name
     * @param worker the worker's id
     * @param startNanos how long it took to start
     */
    public static void workerStarted(String pool, String worker, long startNanos) {
        WorkerStarted event = new WorkerStarted();
        if (event.shouldCommit()) {
            event.pool = pool;
            event.worker = worker;
            event.startup = startNanos;
            event.commit();
        }
    }

    /**
     * A worker was retired.
     *
     * @param pool the pool's name
     * @param worker the worker's id
     * @param reason why
     */
    public static void workerRecycled(String pool, String worker, String reason) {
        WorkerRecycled event = new WorkerRecycled();
        if (event.shouldCommit()) {
            event.pool = pool;
            event.worker = worker;
            event.reason = reason;
            event.commit();
        }
    }

    /**
     * A worker died.
     *
     * @param pool the pool's name
     * @param worker the worker's id
     * @param reason what died and why
     * @param exitCode its exit code, or null
     */
    public static void workerCrashed(String pool, String worker, String reason, Integer exitCode) {
        WorkerCrashed event = new WorkerCrashed();
        if (event.shouldCommit()) {
            event.pool = pool;
            event.worker = worker;
            event.reason = reason;
            event.exitCode = exitCode == null ? -1 : exitCode;
            event.commit();
        }
    }
}
