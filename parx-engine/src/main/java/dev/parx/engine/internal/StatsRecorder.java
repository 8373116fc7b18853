package dev.parx.engine.internal;

import dev.parx.PoolStats;
import dev.parx.TaskTimeoutException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The counters behind {@link PoolStats}.
 *
 * <p>The counters are striped, so that the submitter and the workers of a busy pool do not contend
 * for one lock: each worker counts in the stripe of its number, and other threads (submitters,
 * cancellers) in a stripe chosen by their thread id, apart from the workers' stripes. Every
 * transition of a task after it was accepted (started, completed, withdrawn) counts in one stripe,
 * under that stripe's monitor; acceptance itself is the pool's own count of accepted tasks, which
 * it keeps anyway to bound its queue. {@link #snapshot} holds every stripe's monitor at once and
 * reads that count while it holds them, which gives a consistent cut: every task counted in a
 * stripe was accepted before, and a task accepted meanwhile counts as queued. A snapshot therefore
 * always satisfies {@code submitted == completed + failed + cancelled + queued + active}.
 */
public final class StatsRecorder {

    private final Stripe[] stripes;
    private final int workerMask;
    private final int threadMask;
    private final String pool;
    /** Rare: once per worker's life, so one shared counter each. */
    private final LongAdder workersRecycled = new LongAdder();
    private final LongAdder workersCrashed = new LongAdder();

    /**
     * Creates an idle instance.
     *
     * @param pool the pool's name, for its flight recorder events
     * @param maxWorkers how many workers may count at once; beyond 32, workers share stripes
     */
    public StatsRecorder(String pool, int maxWorkers) {
        this.pool = pool;
        int workerStripes = workerStripes(maxWorkers);
        int threadStripes = powerOfTwoAtLeast(Math.clamp(Runtime.getRuntime().availableProcessors() * 2L, 4, 64));
        stripes = new Stripe[workerStripes + threadStripes];
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new Stripe();
        }
        workerMask = workerStripes - 1;
        threadMask = threadStripes - 1;
    }

    /**
     * How many stripes give each of a pool's workers its own, up to 32: a power of two, so that a
     * worker's number masked by one less picks its stripe. Pools stripe other counters the same way.
     *
     * @param maxWorkers the pool's maximum number of workers
     * @return the number of worker stripes
     */
    public static int workerStripes(int maxWorkers) {
        return powerOfTwoAtLeast(Math.clamp(maxWorkers, 1, 32));
    }

    private static int powerOfTwoAtLeast(int n) {
        return Integer.highestOneBit(n * 2 - 1);
    }

    /**
     * The references of a stripe, in a superclass so that the JVM lays them out first, beside the
     * object header that locking writes anyway, rather than after the padding at the end, where
     * they would share a cache line with the next stripe's header.
     */
    private static class StripeRefs {
        Histogram waitTimes;
        Histogram runTimes;
    }

    /**
     * One thread's share of the counters; guarded by its own monitor. The padding at the end keeps
     * the next stripe's header, which its own thread writes whenever it locks, off these lines.
     */
    @SuppressWarnings("unused")
    private static final class Stripe extends StripeRefs {
        private long withdrawn;
        private long requeued;
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

    /** The stripe of the calling thread, which is not one of the pool's workers. */
    private Stripe stripe() {
        return stripes[workerMask + 1 + ((int) Thread.currentThread().threadId() & threadMask)];
    }

    /** The stripe of a worker, by its number; a negative number stands for any other thread. */
    private Stripe stripe(int worker) {
        return worker < 0 ? stripe() : stripes[worker & workerMask];
    }

    /** Counts a worker that ended without crashing. */
    public void workerRecycled() {
        workersRecycled.increment();
    }

    /** Counts a worker that died. */
    public void workerCrashed() {
        workersCrashed.increment();
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
            s.withdrawn++;
            s.rejected++;
        }
    }

    /**
     * Moves a task from the queue to running, unless it completed (was cancelled) meanwhile.
     *
     * @param worker the number of the worker that starts it
     * @param run the task
     * @param nanos when it starts, by {@link System#nanoTime()}
     * @return true if the task may run
     */
    public boolean tryStart(int worker, TaskRun<?> run, long nanos) {
        Stripe s = stripe(worker);
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
     * Puts a task whose worker died back in the queued state, if it may run again; it counts as
     * queued, not started, until a worker starts it again.
     *
     * @param run the task
     * @return true if the caller must queue it again
     */
    public boolean requeue(TaskRun<?> run) {
        Stripe s = stripe(-1);
        synchronized (s) {
            if (!run.markRequeued()) {
                return false;
            }
            s.requeued++;
            return true;
        }
    }

    /**
     * Counts a task whose handle completed, with the outcome's kind.
     *
     * @param worker the number of the worker that ran it, or -1 if none did or another thread completes it
     * @param run the task
     * @param failure what it completed with, or null for an output
     * @param nanos when it completed, by {@link System#nanoTime()}
     */
    public void completed(int worker, TaskRun<?> run, Throwable failure, long nanos) {
        Stripe s = stripe(worker);
        int before;
        synchronized (s) {
            before = run.markDone();
            if (before == TaskRun.WITHDRAWN) {
                return;     // counted as rejected when its submitter took it back
            }
            if (before == TaskRun.RUNNING) {
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
        FlightEvents.ended(pool, run, failure, nanos, before == TaskRun.RUNNING);
    }

    /**
     * Takes a consistent snapshot.
     *
     * @param workers the workers alive now
     * @param busyWorkers the workers running a task now
     * @param accepted reads the pool's count of tasks ever accepted, withdrawn ones included
     * @return the snapshot
     */
    public PoolStats snapshot(int workers, int busyWorkers, LongSupplier accepted) {
        return snapshot(workers, busyWorkers, accepted, 0);
    }

    private PoolStats snapshot(int workers, int busyWorkers, LongSupplier accepted, int from) {
        if (from < stripes.length) {
            synchronized (stripes[from]) {
                return snapshot(workers, busyWorkers, accepted, from + 1);
            }
        }
        // Every stripe's monitor is held here: read the count now.
        long submitted = accepted.getAsLong();
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
            submitted -= s.withdrawn;
            started += s.started - s.requeued;
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
                cancelled, rejected, workersRecycled.sum(), workersCrashed.sum(), waitTimes.summary(),
                runTimes.summary());
    }
}
