package dev.parx.internal;

import dev.parx.PoolStats;
import dev.parx.TaskTimeoutException;
import java.util.concurrent.CancellationException;

/**
 * The counters behind {@link PoolStats}.
 *
 * <p>The counters are striped by thread, so that the submitter and the workers of a busy pool do
 * not contend for one lock. Every transition of a task (accepted, started, completed) counts in the
 * stripe of the thread that makes it, under that stripe's monitor; {@link #snapshot} holds every
 * stripe's monitor at once, which gives a consistent cut: a snapshot always satisfies
 * {@code submitted == completed + failed + cancelled + queued + active}.
 */
public final class StatsRecorder {

    private final Stripe[] stripes;
    private final int mask;

    /** Creates an idle instance. */
    public StatsRecorder() {
        int n = Integer.highestOneBit(Math.clamp(Runtime.getRuntime().availableProcessors() * 2L, 4, 64) * 2 - 1);
        stripes = new Stripe[n];
        for (int i = 0; i < n; i++) {
            stripes[i] = new Stripe();
        }
        mask = n - 1;
    }

    /**
     * One thread's share of the counters; guarded by its own monitor. Padded so that the stripes
     * of a submitter and of a worker, allocated side by side, do not share a cache line.
     */
    @SuppressWarnings("unused")
    private static final class Stripe {
        private long p0, p1, p2, p3, p4, p5, p6, p7;
        private Histogram waitTimes;
        private Histogram runTimes;
        private long submitted;
        private long started;
        private long doneBeforeStart;
        private long doneAfterStart;
        private long completed;
        private long failed;
        private long timedOut;
        private long cancelled;
        private long rejected;
        private long q0, q1, q2, q3, q4, q5, q6, q7;

        Histogram waitTimes() {
            if (waitTimes == null) {
                waitTimes = new Histogram();
            }
            return waitTimes;
        }

        Histogram runTimes() {
            if (runTimes == null) {
                runTimes = new Histogram();
            }
            return runTimes;
        }
    }

    private Stripe stripe() {
        return stripes[(int) Thread.currentThread().threadId() & mask];
    }

    /** Counts an accepted task, now queued. */
    public void accepted() {
        Stripe s = stripe();
        synchronized (s) {
            s.submitted++;
        }
    }

    /** Counts a refused submission. */
    public void rejected() {
        Stripe s = stripe();
        synchronized (s) {
            s.rejected++;
        }
    }

    /** Takes back an accepted task that was withdrawn before anybody took it, and counts it rejected. */
    public void withdrawn() {
        Stripe s = stripe();
        synchronized (s) {
            s.submitted--;
            s.rejected++;
        }
    }

    /**
     * Moves a task from the queue to running, unless it completed (was cancelled) meanwhile.
     *
     * @param run the task
     * @param nanos when it starts, by {@link System#nanoTime()}
     * @return true if the task may run
     */
    public boolean tryStart(TaskRun<?> run, long nanos) {
        Stripe s = stripe();
        synchronized (s) {
            if (!run.markStarted(nanos)) {
                return false;
            }
            s.started++;
            s.waitTimes().record(run.startedNanos() - run.submittedNanos());
            return true;
        }
    }

    /**
     * Counts a task whose handle completed, with the outcome's kind.
     *
     * @param run the task
     * @param failure what it completed with, or null for an output
     * @param nanos when it completed, by {@link System#nanoTime()}
     */
    public void completed(TaskRun<?> run, Throwable failure, long nanos) {
        Stripe s = stripe();
        synchronized (s) {
            if (run.markDone()) {
                s.doneAfterStart++;
                s.runTimes().record(nanos - run.startedNanos());
            } else {
                s.doneBeforeStart++;
            }
            if (failure == null) {
                s.completed++;
            } else if (failure instanceof CancellationException) {
                s.cancelled++;
            } else {
                s.failed++;
                if (failure instanceof TaskTimeoutException) {
                    s.timedOut++;
                }
            }
        }
    }

    /**
     * Takes a consistent snapshot.
     *
     * @param workers the workers alive now
     * @param busyWorkers the workers running a task now
     * @return the snapshot
     */
    public PoolStats snapshot(int workers, int busyWorkers) {
        return snapshot(workers, busyWorkers, 0);
    }

    private PoolStats snapshot(int workers, int busyWorkers, int from) {
        if (from < stripes.length) {
            synchronized (stripes[from]) {
                return snapshot(workers, busyWorkers, from + 1);
            }
        }
        // Every stripe's monitor is held here.
        long submitted = 0;
        long started = 0;
        long doneBeforeStart = 0;
        long doneAfterStart = 0;
        long completed = 0;
        long failed = 0;
        long timedOut = 0;
        long cancelled = 0;
        long rejected = 0;
        Histogram waitTimes = new Histogram();
        Histogram runTimes = new Histogram();
        for (Stripe s : stripes) {
            submitted += s.submitted;
            started += s.started;
            doneBeforeStart += s.doneBeforeStart;
            doneAfterStart += s.doneAfterStart;
            completed += s.completed;
            failed += s.failed;
            timedOut += s.timedOut;
            cancelled += s.cancelled;
            rejected += s.rejected;
            waitTimes.add(s.waitTimes);
            runTimes.add(s.runTimes);
        }
        int queued = Math.toIntExact(submitted - started - doneBeforeStart);
        int active = Math.toIntExact(started - doneAfterStart);
        return new PoolStats(workers, busyWorkers, queued, active, submitted, completed, failed, timedOut,
                cancelled, rejected, waitTimes.summary(), runTimes.summary());
    }
}
