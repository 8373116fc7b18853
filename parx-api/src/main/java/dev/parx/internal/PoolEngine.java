package dev.parx.internal;

import dev.parx.FullQueuePolicy;
import dev.parx.PoolSettings;
import dev.parx.PoolStats;
import dev.parx.RejectedTaskException;
import dev.parx.RejectedTaskException.Reason;
import dev.parx.Task;
import dev.parx.TaskFailedException;
import dev.parx.TaskHandle;
import dev.parx.TaskOptions;
import dev.parx.TaskTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The queue and the workers behind every pool whose workers are threads of this JVM:
 * {@code ThreadPool}, and {@code CommandPool}, whose worker threads each run one command at a
 * time. Shared through the qualified export of {@code dev.parx.internal}.
 *
 * <p>One lock guards the queue, the worker set and the life-cycle state. A worker whose task was
 * cancelled or timed out is retired at once and replaced, because a thread cannot be forced to
 * stop: the retired thread leaves when its task returns, and termination waits for it.
 */
public final class PoolEngine {

    private static final System.Logger LOG = System.getLogger(PoolEngine.class.getName());

    private enum State { RUNNING, SHUTDOWN, STOP, TERMINATED }

    private final PoolSettings settings;
    private final Consumer<Class<?>> taskCheck;
    private final Thread.Builder threads;
    private final String threadPrefix;
    private final StatsRecorder stats = new StatsRecorder();
    private final AtomicLong taskIds = new AtomicLong();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition workAvailable = lock.newCondition();
    private final Condition spaceAvailable = lock.newCondition();
    private final Condition terminated = lock.newCondition();
    private final ArrayDeque<TaskRun<?>> queue = new ArrayDeque<>();
    private final Set<Worker> workers = new HashSet<>();
    private final List<Thread> exitedThreads = new ArrayList<>();
    private int idleWorkers;
    private int busyWorkers;
    private int retiredRunning;
    private int threadSeq;
    private State state = State.RUNNING;
    private ScheduledThreadPoolExecutor timer;

    /**
     * Creates an engine; workers start on demand.
     *
     * @param settings the pool's settings
     * @param virtualThreads whether workers are virtual threads
     */
    public PoolEngine(PoolSettings settings, boolean virtualThreads) {
        this(settings, virtualThreads, TaskClasses::check);
    }

    /**
     * Creates an engine that accepts only the task classes that pass a check; workers start on
     * demand.
     *
     * @param settings the pool's settings
     * @param virtualThreads whether workers are virtual threads
     * @param taskCheck throws {@link IllegalArgumentException} for a task class the pool cannot run;
     *     it must include {@link TaskClasses#check(Class)}
     */
    public PoolEngine(PoolSettings settings, boolean virtualThreads, Consumer<Class<?>> taskCheck) {
        this.settings = settings;
        this.taskCheck = taskCheck;
        this.threadPrefix = "parx-" + settings.name() + "-";
        this.threads = virtualThreads ? Thread.ofVirtual() : Thread.ofPlatform().daemon(false);
    }

    /**
     * Accepts a task, or rejects or blocks per the pool's queue policy.
     *
     * @param taskClass the task class
     * @param input the input
     * @param options the options
     * @param <I> the input type
     * @param <O> the output type
     * @return the handle
     */
    public <I, O> TaskHandle<O> submit(Class<? extends Task<I, O>> taskClass, I input, TaskOptions options) {
        taskCheck.accept(taskClass);
        Objects.requireNonNull(options, "options");
        Duration timeout = settings.timeoutFor(options).orElse(null);
        TaskRun<O> run = new TaskRun<>(settings.name() + "-" + taskIds.incrementAndGet(), taskClass, input,
                timeout, this::cancelled, stats::completed);
        lock.lock();
        try {
            awaitRoom(taskClass);
            queue.addLast(run);
            stats.accepted();
            if (idleWorkers > 0) {
                workAvailable.signal();
            }
            if (queue.size() > idleWorkers && workers.size() < settings.maxWorkers()) {
                startWorker();
            }
        } finally {
            lock.unlock();
        }
        return run;
    }

    private void awaitRoom(Class<?> taskClass) {
        while (true) {
            if (state != State.RUNNING) {
                stats.rejected();
                throw new RejectedTaskException(Reason.SHUT_DOWN, "pool '" + settings.name()
                        + "' is shut down and accepts no more tasks; rejected " + taskClass.getName(), null);
            }
            long room = (long) settings.maxQueue() + settings.maxWorkers() - busyWorkers;
            if (queue.size() < room) {
                return;
            }
            if (settings.fullQueuePolicy() == FullQueuePolicy.REJECT) {
                stats.rejected();
                throw new RejectedTaskException(Reason.QUEUE_FULL, "pool '" + settings.name()
                        + "' has a full queue (maxQueue " + settings.maxQueue() + ", all "
                        + settings.maxWorkers() + " workers busy); rejected " + taskClass.getName(), null);
            }
            try {
                spaceAvailable.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stats.rejected();
                throw new RejectedTaskException(Reason.INTERRUPTED, "interrupted while waiting for room in pool '"
                        + settings.name() + "'; rejected " + taskClass.getName(), e);
            }
        }
    }

    /**
     * Returns a snapshot of the counters.
     *
     * @return the stats
     */
    public PoolStats stats() {
        lock.lock();
        try {
            return stats.snapshot(workers.size(), busyWorkers);
        } finally {
            lock.unlock();
        }
    }

    /** Stops accepting tasks, finishes queued ones, and waits for termination. */
    public void close() {
        shutdown();
        try {
            while (!awaitTermination(Duration.ofDays(1))) {
                LOG.log(System.Logger.Level.DEBUG, "pool ''{0}'' is still finishing its tasks", settings.name());
            }
        } catch (InterruptedException e) {
            shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void shutdown() {
        lock.lock();
        try {
            if (state == State.RUNNING) {
                state = State.SHUTDOWN;
                workAvailable.signalAll();
                spaceAvailable.signalAll();
                replenish();
                checkTerminated();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Cancels queued and running tasks and stops the workers. */
    public void shutdownNow() {
        List<TaskRun<?>> toCancel = new ArrayList<>();
        lock.lock();
        try {
            if (state.compareTo(State.STOP) < 0) {
                state = State.STOP;
                toCancel.addAll(queue);
                queue.clear();
                for (Worker worker : workers) {
                    if (worker.current != null) {
                        toCancel.add(worker.current);
                    }
                }
                workAvailable.signalAll();
                spaceAvailable.signalAll();
                checkTerminated();
            }
        } finally {
            lock.unlock();
        }
        toCancel.forEach(run -> run.cancel(true));
    }

    /**
     * Returns whether the pool stopped accepting tasks.
     *
     * @return true once shut down
     */
    public boolean isShutdown() {
        lock.lock();
        try {
            return state != State.RUNNING;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns whether every worker has stopped.
     *
     * @return true once terminated
     */
    public boolean isTerminated() {
        lock.lock();
        try {
            return state == State.TERMINATED;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for termination, including the end of every thread the pool started.
     *
     * @param timeout the longest wait
     * @return true if terminated in time
     * @throws InterruptedException if interrupted
     */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Thread> toJoin;
        ScheduledThreadPoolExecutor timerToJoin;
        lock.lock();
        try {
            while (state != State.TERMINATED) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                terminated.awaitNanos(left);
            }
            toJoin = List.copyOf(exitedThreads);
            timerToJoin = timer;
        } finally {
            lock.unlock();
        }
        for (Thread thread : toJoin) {
            if (!thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) {
                return false;
            }
        }
        return timerToJoin == null
                || timerToJoin.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    // ---- workers ----

    private final class Worker implements Runnable {
        private Thread thread;
        private TaskRun<?> current;     // guarded by lock
        private boolean retired;        // guarded by lock

        @Override
        public void run() {
            try {
                TaskRun<?> run;
                // One lock acquisition per task: finishing one and taking the next share it.
                for (run = take(this, false); run != null; run = take(this, true)) {
                    execute(run);
                }
            } finally {
                exited(this);
            }
        }
    }

    private void startWorker() {
        Worker worker = new Worker();
        worker.thread = threads.name(threadPrefix + (++threadSeq)).unstarted(worker);
        workers.add(worker);
        worker.thread.start();
    }

    private TaskRun<?> take(Worker worker, boolean finishedOne) {
        lock.lock();
        try {
            if (finishedOne && !finished(worker)) {
                return null;
            }
            long idleNanos = settings.idleTimeout().toNanos();
            while (true) {
                if (state == State.STOP || worker.retired) {
                    return null;
                }
                TaskRun<?> run = queue.pollFirst();
                if (run != null) {
                    if (!stats.tryStart(run)) {
                        continue;
                    }
                    busyWorkers++;
                    worker.current = run;
                    run.attach(worker.thread, worker);
                    return run;
                }
                if (state == State.SHUTDOWN) {
                    return null;
                }
                boolean mayRetire = workers.size() > settings.minWorkers();
                if (mayRetire && idleNanos <= 0) {
                    return null;
                }
                idleWorkers++;
                try {
                    if (mayRetire) {
                        idleNanos = workAvailable.awaitNanos(idleNanos);
                    } else {
                        workAvailable.await();
                    }
                } catch (InterruptedException e) {
                    // A late interrupt meant for a task that already returned; the state decides.
                } finally {
                    idleWorkers--;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void execute(TaskRun<?> run) {
        ScheduledFuture<?> timeout = run.timeout() == null ? null
                : timer().schedule(() -> timedOut(run), run.timeout().toNanos(), TimeUnit.NANOSECONDS);
        try {
            Task task = TaskClasses.instantiate((Class) run.taskClass());
            Object output = task.run(run.input(), new LocalTaskContext(run, Thread.currentThread().getName()));
            run.succeed(output);
        } catch (Throwable failure) {
            try {
                run.fail(new TaskFailedException(run.id(), run.taskClass().getName(), failure));
            } catch (Throwable secondFailure) {
                // Building the exception can fail too (OutOfMemoryError): report the original.
                run.fail(failure);
            }
        } finally {
            if (timeout != null) {
                timeout.cancel(false);
            }
            run.attach(null, null);
            Thread.interrupted();   // an interrupt meant for this task must not reach the next one
        }
    }

    /** Called with the lock held; false if the worker was retired and must stop. */
    private boolean finished(Worker worker) {
        worker.current = null;
        if (worker.retired) {
            retiredRunning--;
            return false;
        }
        busyWorkers--;
        spaceAvailable.signal();
        return true;
    }

    private void exited(Worker worker) {
        lock.lock();
        try {
            if (!worker.retired) {
                workers.remove(worker);
                if (worker.current != null) {
                    // The worker died of something thrown outside the task; keep the count right.
                    busyWorkers--;
                    worker.current = null;
                }
            }
            exitedThreads.removeIf(thread -> !thread.isAlive());
            exitedThreads.add(worker.thread);
            replenish();
            checkTerminated();
        } finally {
            lock.unlock();
        }
    }

    /** Starts a worker if tasks are waiting with nobody to take them, or if below the minimum. */
    private void replenish() {
        boolean belowMin = state == State.RUNNING && workers.size() < settings.minWorkers()
                && !queue.isEmpty();
        boolean starving = state != State.STOP && queue.size() > idleWorkers
                && workers.size() < settings.maxWorkers();
        if (belowMin || starving) {
            startWorker();
        }
    }

    private void checkTerminated() {
        if ((state == State.SHUTDOWN || state == State.STOP) && queue.isEmpty() && workers.isEmpty()
                && retiredRunning == 0) {
            state = State.TERMINATED;
            terminated.signalAll();
            if (timer != null) {
                timer.shutdownNow();
            }
        }
    }

    // ---- cancellation and timeouts ----

    private void cancelled(TaskRun<?> run, boolean mayInterrupt) {
        boolean wasQueued;
        lock.lock();
        try {
            wasQueued = queue.remove(run);
            if (wasQueued) {
                spaceAvailable.signal();
                checkTerminated();
            }
        } finally {
            lock.unlock();
        }
        if (!wasQueued) {
            stopRunning(run, mayInterrupt);
        }
    }

    private void timedOut(TaskRun<?> run) {
        run.fail(new TaskTimeoutException(run.id(), run.timeout()));   // before the stop request: see TaskRun.fail
        stopRunning(run, true);
    }

    private void stopRunning(TaskRun<?> run, boolean interrupt) {
        run.requestStop();
        if (interrupt) {
            run.interruptRunner();
        }
        lock.lock();
        try {
            if (run.worker() instanceof Worker worker && worker.current == run && !worker.retired) {
                worker.retired = true;
                workers.remove(worker);
                busyWorkers--;
                retiredRunning++;
                LOG.log(System.Logger.Level.DEBUG, "retired {0} after task {1} was stopped; a new worker takes its place",
                        worker.thread.getName(), run.id());
                spaceAvailable.signal();
                replenish();
            }
        } finally {
            lock.unlock();
        }
    }

    private ScheduledThreadPoolExecutor timer() {
        lock.lock();
        try {
            if (timer == null) {
                timer = new ScheduledThreadPoolExecutor(1,
                        Thread.ofPlatform().daemon(true).name(threadPrefix + "timer").factory());
                timer.setRemoveOnCancelPolicy(true);
            }
            return timer;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return settings.name() + ", " + stats();
    }
}
