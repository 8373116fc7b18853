package dev.parx.internal;

import dev.parx.PoolStats;
import dev.parx.TaskTimeoutException;
import java.util.concurrent.CancellationException;

/**
 * The counters behind {@link PoolStats}. Every transition of a task happens under this object's
 * monitor, so a snapshot always satisfies
 * {@code submitted == completed + failed + cancelled + queued + active}.
 */
public final class StatsRecorder {

    /** Creates an idle instance. */
    public StatsRecorder() {
    }

    private final Histogram waitTimes = new Histogram();
    private final Histogram runTimes = new Histogram();
    private int queued;
    private int active;
    private long submitted;
    private long completed;
    private long failed;
    private long timedOut;
    private long cancelled;
    private long rejected;

    /** Counts an accepted task, now queued. */
    public synchronized void accepted() {
        submitted++;
        queued++;
    }

    /** Counts a refused submission. */
    public synchronized void rejected() {
        rejected++;
    }

    /**
     * Moves a task from the queue to running, unless it completed (was cancelled) meanwhile.
     *
     * @param run the task
     * @return true if the task may run
     */
    public synchronized boolean tryStart(TaskRun<?> run) {
        if (!run.markStarted()) {
            return false;
        }
        queued--;
        active++;
        waitTimes.record(run.startedNanos() - run.submittedNanos());
        return true;
    }

    /**
     * Counts a task whose handle completed, with the outcome's kind.
     *
     * @param run the task
     * @param failure what it completed with, or null for an output
     */
    public synchronized void completed(TaskRun<?> run, Throwable failure) {
        boolean wasRunning = run.markDone();
        if (wasRunning) {
            active--;
            runTimes.record(System.nanoTime() - run.startedNanos());
        } else {
            queued--;
        }
        if (failure == null) {
            completed++;
        } else if (failure instanceof CancellationException) {
            cancelled++;
        } else {
            failed++;
            if (failure instanceof TaskTimeoutException) {
                timedOut++;
            }
        }
    }

    /**
     * Takes a snapshot.
     *
     * @param workers the workers alive now
     * @param busyWorkers the workers running a task now
     * @return the snapshot
     */
    public synchronized PoolStats snapshot(int workers, int busyWorkers) {
        return new PoolStats(workers, busyWorkers, queued, active, submitted, completed, failed, timedOut,
                cancelled, rejected, waitTimes.summary(), runTimes.summary());
    }
}
