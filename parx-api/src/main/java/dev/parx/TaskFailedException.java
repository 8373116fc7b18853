package dev.parx;

import java.io.Serial;
import java.util.Objects;

/**
 * A task threw. Keeps the class name, message and stack of what it threw, also when the task ran
 * in another JVM, where the original exception object does not exist in this one: then
 * {@link #getCause()} is null and {@link #exceptionStackTrace()} holds the remote stack.
 */
public class TaskFailedException extends ParxException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The task id. */
    private final String taskId;
    /** The task class name. */
    private final String taskClassName;
    /** The class name of what the task threw. */
    private final String exceptionClassName;
    /** Its message. */
    private final String exceptionMessage;
    /** Its stack. */
    private final StackTraceElement[] exceptionStackTrace;

    /**
     * For a task that threw in this JVM.
     *
     * @param taskId the task's id
     * @param taskClassName the task's class name
     * @param cause what the task threw
     */
    public TaskFailedException(String taskId, String taskClassName, Throwable cause) {
        this(taskId, taskClassName, cause.getClass().getName(), cause.getMessage(), cause.getStackTrace(), cause);
    }

    /**
     * For a task that threw in another JVM or process.
     *
     * @param taskId the task's id
     * @param taskClassName the task's class name
     * @param exceptionClassName the class name of what the task threw
     * @param exceptionMessage its message, or null
     * @param exceptionStackTrace its stack
     */
    public TaskFailedException(String taskId, String taskClassName, String exceptionClassName,
            String exceptionMessage, StackTraceElement[] exceptionStackTrace) {
        this(taskId, taskClassName, exceptionClassName, exceptionMessage, exceptionStackTrace, null);
    }

    private TaskFailedException(String taskId, String taskClassName, String exceptionClassName,
            String exceptionMessage, StackTraceElement[] exceptionStackTrace, Throwable cause) {
        super("task " + taskId + " (" + taskClassName + ") failed: " + exceptionClassName
                + (exceptionMessage == null ? "" : ": " + exceptionMessage), cause);
        this.taskId = Objects.requireNonNull(taskId, "taskId");
        this.taskClassName = Objects.requireNonNull(taskClassName, "taskClassName");
        this.exceptionClassName = Objects.requireNonNull(exceptionClassName, "exceptionClassName");
        this.exceptionMessage = exceptionMessage;
        this.exceptionStackTrace = exceptionStackTrace.clone();
    }

    /**
     * Returns the failed task's id.
     *
     * @return the id
     */
    public String taskId() {
        return taskId;
    }

    /**
     * Returns the failed task's class name.
     *
     * @return the class name
     */
    public String taskClassName() {
        return taskClassName;
    }

    /**
     * Returns the class name of what the task threw, such as {@code java.lang.IllegalStateException}.
     *
     * @return the exception's class name
     */
    public String exceptionClassName() {
        return exceptionClassName;
    }

    /**
     * Returns the message of what the task threw.
     *
     * @return the message, or null if it had none
     */
    public String exceptionMessage() {
        return exceptionMessage;
    }

    /**
     * Returns the stack of what the task threw, where it threw it.
     *
     * @return a copy of the stack
     */
    public StackTraceElement[] exceptionStackTrace() {
        return exceptionStackTrace.clone();
    }
}
