package dev.parx;

import java.io.Serial;
import java.util.List;
import java.util.Objects;

/**
 * The worker running a task died: a process or child JVM exited, was killed by a signal, or broke
 * its protocol. The pool replaces the worker; other tasks are not affected.
 */
@SuppressWarnings("serial") // the lists are immutable copies, which are serializable
public class WorkerCrashedException extends ParxException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The worker that died. */
    private final String workerId;
    /** The task id. */
    private final String taskId;
    /** The exit code. */
    private final Integer exitCode;
    /** The last lines of stderr. */
    private final List<String> stderrTail;

    /**
     * Creates the exception.
     *
     * @param workerId the worker that died
     * @param taskId the task it was running
     * @param reason what happened, such as {@code "exited with code 137 (SIGKILL)"}
     * @param exitCode the exit code, or null if the worker has not exited or it is unknown
     * @param stderrTail the last lines the worker wrote to stderr, oldest first
     */
    public WorkerCrashedException(String workerId, String taskId, String reason, Integer exitCode,
            List<String> stderrTail) {
        super("worker " + workerId + " crashed while running task " + taskId + ": " + reason
                + (stderrTail.isEmpty() ? "" : "; last stderr lines:\n  " + String.join("\n  ", stderrTail)));
        this.workerId = Objects.requireNonNull(workerId, "workerId");
        this.taskId = Objects.requireNonNull(taskId, "taskId");
        this.exitCode = exitCode;
        this.stderrTail = List.copyOf(stderrTail);
    }

    /**
     * Returns the worker that died.
     *
     * @return the worker id
     */
    public String workerId() {
        return workerId;
    }

    /**
     * Returns the task the worker was running.
     *
     * @return the task id
     */
    public String taskId() {
        return taskId;
    }

    /**
     * Returns the worker's exit code, if it exited.
     *
     * @return the exit code, or null
     */
    public Integer exitCode() {
        return exitCode;
    }

    /**
     * Returns the last lines the worker wrote to stderr.
     *
     * @return the lines, oldest first
     */
    public List<String> stderrTail() {
        return stderrTail;
    }
}
