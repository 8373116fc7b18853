package dev.parx.engine;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * The engine's side of one {@link Worker}: its id, and the one place where the worker reports
 * what happens to its executions and to itself. Given to {@link WorkerFactory#start}.
 *
 * <p>Thread-safe; every method may be called from any thread. Reports about an execution this
 * worker was never given throw {@link IllegalArgumentException}; a second report of an execution's
 * end, and a report that races the worker's death, change nothing. Events reach the handle's listeners in the order they were reported, and
 * all of them before the handle completes.
 */
public interface WorkerContext {

    /**
     * Returns the worker's id, {@code parx-<pool>-<n>}, which is also the name of its engine thread.
     *
     * @return the worker id
     */
    String workerId();

    /**
     * Returns the pool's name.
     *
     * @return the pool's name
     */
    String poolName();

    /**
     * Runs the task on the calling thread and reports its end: instantiates the task class, calls
     * its {@code run} with a context linked to the handle, and completes the handle with the output,
     * or with a {@link dev.parx.TaskFailedException} for whatever it threw ({@code Error}s included).
     *
     * @param execution an execution this worker holds
     */
    void runHere(Execution execution);

    /**
     * Reports that an execution ended with an output; completes its handle unless it completed
     * already (a cancel or a timeout came first).
     *
     * @param execution an execution this worker holds
     * @param output the output, which may be null
     */
    void succeeded(Execution execution, Object output);

    /**
     * Reports that an execution ended with a failure, which the handle reports as it is: a remote
     * task's failure is a {@link dev.parx.TaskFailedException} that the worker made.
     *
     * @param execution an execution this worker holds
     * @param failure the failure
     */
    void failed(Execution execution, Throwable failure);

    /**
     * Reports a task's progress to its handle's listeners.
     *
     * @param execution an execution this worker holds
     * @param fraction from 0 to 1
     * @param message the step
     */
    void progress(Execution execution, double fraction, String message);

    /**
     * Passes a message from a task to its handle's listeners.
     *
     * @param execution an execution this worker holds
     * @param message the message
     */
    void emitted(Execution execution, Object message);

    /**
     * Takes the next message that the submitter sent to a task with {@code TaskHandle.send}.
     *
     * @param execution an execution this worker holds
     * @param timeout how long to wait
     * @return the message, or null if none came in time
     * @throws InterruptedException if interrupted while waiting
     */
    Object nextMessage(Execution execution, Duration timeout) throws InterruptedException;

    /**
     * Hands the messages that the submitter sends to an execution with {@code TaskHandle.send} to a
     * sink instead of keeping them for {@link #nextMessage}: for a worker that runs the task
     * elsewhere and pushes each message to it (a frame to a child process). Messages sent before
     * this call are handed to the sink first, in the order they were sent, on the calling thread;
     * later ones on the sending thread, inside its {@code send}, so that what one thread sends
     * reaches the sink in its order. Once the execution's handle completed, nothing more is handed
     * over. An exception the sink throws reaches the sender.
     *
     * @param execution an execution this worker holds
     * @param sink takes each message; must not block for long, since senders wait for it
     * @throws UnsupportedOperationException by default; the engine's contexts support it
     */
    default void forwardMessages(Execution execution, Consumer<Object> sink) {
        throw new UnsupportedOperationException("this worker context keeps messages for nextMessage only");
    }

    /**
     * Asks the engine to replace this worker because it is done, not broken: it served its share
     * of tasks (a child JVM's {@code maxTasksPerWorker}), or holds resources it should give back.
     * Unlike {@link #died}, nothing failed: nothing is logged above DEBUG, the worker counts in
     * {@link dev.parx.PoolStats#workersRecycled()} and as a {@code dev.parx.WorkerRecycled} flight
     * recorder event with this reason, not as a crash.
     *
     * <p>The engine gives the worker no further execution; if called from another thread while the
     * worker's engine thread is handing it one, that one is still given, and none after it. The
     * executions it holds run to their ends, reported as usual, and are neither stopped nor failed.
     * Once it holds none (or at once if it holds none), its engine thread leaves: the engine calls
     * {@link Worker#close()} there and starts another worker in its place if tasks wait or the pool
     * is below {@code minWorkers}, as for a worker that left for idleness. The worker keeps its
     * place among the pool's {@code maxWorkers} until it left, so that the pool never runs more
     * workers than that. If the worker dies before it left, it counts as crashed and its executions
     * fail as for any death.
     *
     * <p>May be called from any thread, {@link Worker#execute} on the engine thread included (which
     * then returns as usual); later calls, and calls after the worker died, change nothing.
     *
     * @param reason why, such as {@code "served 1000 tasks (maxTasksPerWorker)"}
     */
    void retire(String reason);

    /**
     * Reports that the worker died: a process exited or was killed, a connection broke, a
     * protocol was violated. The engine completes every execution the worker held with a
     * {@link dev.parx.WorkerCrashedException} carrying these details, starts another worker in its
     * place, and calls {@link Worker#close()}. Later reports of the worker change nothing.
     *
     * @param reason what happened, such as {@code "exited with code 137 (SIGKILL)"}
     * @param exitCode the exit code, or null if the worker did not exit or it is unknown
     * @param stderrTail the last lines the worker wrote to stderr, oldest first; empty if none
     */
    void died(String reason, Integer exitCode, List<String> stderrTail);
}
