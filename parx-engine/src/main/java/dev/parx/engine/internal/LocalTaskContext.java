package dev.parx.engine.internal;

import dev.parx.TaskContext;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;

/** The context of a task that runs in this JVM, linked straight to its {@link TaskRun}. */
public final class LocalTaskContext implements TaskContext {

    private final TaskRun<?> run;
    private final String workerId;

    /**
     * Creates the context of one run.
     *
     * @param run the task
     * @param workerId the worker running it
     */
    public LocalTaskContext(TaskRun<?> run, String workerId) {
        this.run = run;
        this.workerId = workerId;
    }

    @Override
    public String taskId() {
        return run.id();
    }

    @Override
    public String workerId() {
        return workerId;
    }

    @Override
    public boolean isCancelled() {
        return run.stopRequested();
    }

    @Override
    public void checkCancelled() {
        if (run.stopRequested()) {
            throw new CancellationException("task " + run.id() + " was cancelled");
        }
    }

    @Override
    public void progress(double fraction, String message) {
        Objects.requireNonNull(message, "message");
        if (!(fraction >= 0.0 && fraction <= 1.0)) {
            throw new IllegalArgumentException("progress fraction must be within [0, 1], was " + fraction);
        }
        run.progress(fraction, message);
    }

    @Override
    public void emit(Object message) {
        Objects.requireNonNull(message, "message");
        run.emit(message);
    }

    @Override
    public <T> T receive(Class<T> type, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        return run.receive(type, timeout);
    }
}
