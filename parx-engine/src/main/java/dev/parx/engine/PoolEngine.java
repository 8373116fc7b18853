package dev.parx.engine;

import dev.parx.PoolSettings;
import dev.parx.PoolStats;
import dev.parx.RejectedTaskException;
import dev.parx.RejectedTaskException.Reason;
import dev.parx.Task;
import dev.parx.TaskFailedException;
import dev.parx.TaskHandle;
import dev.parx.TaskOptions;
import dev.parx.TaskTimeoutException;
import dev.parx.WaitInterruptedException;
import dev.parx.WorkerCrashedException;
import dev.parx.engine.internal.Admission;
import dev.parx.engine.internal.FlightEvents;
import dev.parx.engine.internal.LocalTaskContext;
import dev.parx.engine.internal.StatsRecorder;
import dev.parx.engine.internal.TaskQueue;
import dev.parx.engine.internal.TaskRun;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The engine behind every parx pool: the bounded queue and its policy, the workers' life cycle,
 * per-task timeouts, cancellation, handles, ordered progress and messages, and statistics. A pool
 * is its builder plus a {@link WorkerFactory}; it builds an engine from its validated settings and
 * delegates to it, most simply by extending {@link EnginePool}.
 *
 * <pre>{@code
 * public final class MyPool extends EnginePool {
 *     private MyPool(PoolEngine engine) { super(engine); }
 *     public static final class Builder extends PoolBuilder<Builder, MyPool> {
 *         public MyPool build() { return new MyPool(new PoolEngine(settings(), new MyWorkers())); }
 *     }
 * }
 * }</pre>
 *
 * <p><b>Workers.</b> The engine starts a worker, each on an engine thread of its own named
 * {@code parx-<pool>-<n>}, when tasks wait and fewer than {@code maxWorkers} run; it keeps
 * {@code minWorkers} and retires a worker beyond them once it was idle for {@code idleTimeout}. A
 * worker holds up to {@link WorkerFactory#workerCapacity()} executions at once. When a worker dies (it reports
 * {@link WorkerContext#died}, its {@code execute} throws, or its engine thread fails outside a task)
 * every execution it held completes with a {@link WorkerCrashedException}, the worker is replaced,
 * and the pool goes on; a worker that cannot start fails the next queued task with the reason, so
 * that no task waits for a worker that never comes. A worker done with its share of tasks
 * {@linkplain WorkerContext#retire retires} instead: it finishes what it holds, leaves, and is
 * replaced, without counting as a crash. No path leaves a handle incomplete. A task
 * submitted with {@link TaskOptions.Builder#retryOnCrash retries} is queued again instead, at the
 * back, keeping its place in the count of accepted tasks, while it has retries left and the pool
 * runs.
 *
 * <p><b>Stopping.</b> Cancelling a running task, or its timeout, completes its handle at once and
 * asks its worker to {@linkplain Worker#stop stop} it. A worker that cannot stop in place (a thread)
 * is retired at once and replaced, so a task that ignores cancellation cannot shrink the pool;
 * termination still waits for its thread.
 *
 * <p><b>The path of a task</b> is lock-free, and submitters and workers write to different cache
 * lines wherever they can. A submitter takes a slot by counting up {@code accepted}, at most
 * {@code maxQueue} plus {@code maxWorkers} times a worker's capacity ahead of {@code released},
 * then hands the task over through a lock-free queue that idle engine threads wait on. The end of
 * an execution gives its slot back by counting up a stripe of {@code released}; submitters sum the
 * stripes only when they reach the bound they last saw. A task cancelled in the queue stays there,
 * marked done: the canceller gives its slot back at once, and the worker that takes it skips it.
 * One lock guards the rest: the worker set, the life cycle, and submitters blocked on a full queue.
 *
 * <p><b>Termination.</b> Once shut down, the engine terminates when every task ended and every
 * worker was closed; the {@linkplain #onTermination termination actions} of the pool (its own
 * resources) run then, once, before {@link #isTerminated()} turns true.
 *
 * <p><b>Logging</b> is SLF4J's; on each engine thread, the MDC holds {@code parx.pool} and
 * {@code parx.worker}, for whatever the worker and the tasks it runs there log.
 *
 * <p>Thread-safe. Actions of a submitter before {@code submit} happen-before the task runs; a
 * task's actions, and its worker's report of its end, happen-before its handle completes; a
 * handle's completion happens-before {@code stats()} counts it.
 */
public final class PoolEngine {

    private static final Logger LOG = LoggerFactory.getLogger(PoolEngine.class);

    private static final int RUNNING = 0;
    private static final int SHUTDOWN = 1;
    private static final int STOP = 2;
    /** Quiescent: the thread that brought it here runs the termination actions, then terminates. */
    private static final int TIDYING = 3;
    private static final int TERMINATED = 4;

    /** Queued behind the last task once the pool shuts down; a worker that takes it puts it back and leaves. */
    private static final Object LEAVE = new Object();

    private final PoolSettings settings;
    private final WorkerFactory factory;
    private final Thread.Builder threads;
    private final String threadPrefix;
    private final StatsRecorder stats;
    private final TaskRun.Owner owner = new TaskRun.Owner() {
        @Override
        public String taskIdPrefix() {
            return settings.name();
        }

        @Override
        public void cancelled(TaskRun<?> run, boolean mayInterrupt) {
            PoolEngine.this.cancelled(run, mayInterrupt);
        }

        @Override
        public void completing(TaskRun<?> run, Throwable failure, long nanos) {
            PoolEngine.this.completing(run, failure, nanos);
        }
    };
    private final int workerCapacity;
    private final Admission slots;

    // The lock-free path.
    private final TaskQueue queue = TaskQueue.create();
    private volatile int state = RUNNING;
    private volatile int liveWorkers;           // workers.size(), readable without the lock

    // Guarded by lock.
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition terminated = lock.newCondition();
    private final Set<WorkerSlot> workers = new HashSet<>();
    private final List<Thread> exitedThreads = new ArrayList<>();
    /** Engine threads of workers that were retired or died, counted out of the set, and not yet exited. */
    private int leavingThreads;
    private int threadSeq;
    private ScheduledThreadPoolExecutor timer;
    private final List<Runnable> terminationActions = new ArrayList<>();
    /** Set by checkTerminated on reaching TIDYING; the thread that unlocks next runs the actions. */
    private boolean tidyingClaimable;
    /** The thread running the termination actions, which must not wait for termination. */
    private volatile Thread tidier;
    private final List<Thread> timerThreads = new CopyOnWriteArrayList<>();

    /**
     * Creates an engine; workers start on demand.
     *
     * @param settings the pool's settings, from its builder
     * @param factory starts the pool's workers
     * @throws IllegalArgumentException if the factory's worker capacity is less than 1
     */
    public PoolEngine(PoolSettings settings, WorkerFactory factory) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.factory = Objects.requireNonNull(factory, "factory");
        this.threadPrefix = "parx-" + settings.name() + "-";
        this.threads = factory.virtualThreads() ? Thread.ofVirtual() : Thread.ofPlatform().daemon(false);
        this.workerCapacity = factory.workerCapacity();
        if (workerCapacity < 1) {
            throw new IllegalArgumentException("a worker holds at least one execution; the factory says " + workerCapacity);
        }
        this.stats = new StatsRecorder(settings.name(), settings.maxWorkers());
        this.slots = new Admission(settings, workerCapacity, stats, () -> state == RUNNING);
    }

    /** The pool's name. */
    String name() {
        return settings.name();
    }

    /** What every worker id and engine thread name starts with. */
    String threadPrefix() {
        return threadPrefix;
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
     * @throws RejectedTaskException if the queue is full and the pool rejects, or it is shut down
     * @throws WaitInterruptedException if interrupted while blocked on a full queue
     * @throws IllegalArgumentException if the factory's {@link WorkerFactory#checkTask} refuses the class
     */
    public <I, O> TaskHandle<O> submit(Class<? extends Task<I, O>> taskClass, I input, TaskOptions options) {
        factory.checkTask(taskClass);
        Objects.requireNonNull(options, "options");
        Duration timeout = settings.timeoutFor(options).orElse(null);
        long number = slots.take(taskClass);
        TaskRun<O> run = new TaskRun<>(owner, number, taskClass, input, timeout, options.crashRetries());
        FlightEvents.queued(settings.name(), run);
        queue.offer(run);
        // Read after the offer: shutting down sets the state, then enqueues its marker.
        if (state != RUNNING && run.withdraw()) {
            stats.withdrawn();
            slots.give(-1);
            lock.lock();
            try {
                checkTerminated();
            } finally {
                unlockAndTidy();
            }
            throw slots.rejected(Reason.SHUT_DOWN, taskClass, false);
        }
        // Read after the offer: a worker leaving for idleness counts itself out before it looks
        // at the queue, so one of the two sees the other.
        // More tasks than workers means some wait with nobody to take them; replenish looks closer.
        int live = liveWorkers;
        if (live < settings.maxWorkers() && slots.inUse() > live) {
            lock.lock();
            try {
                replenish();
            } finally {
                lock.unlock();
            }
        }
        return run;
    }

    /**
     * Starts workers now instead of when tasks come, for workers that are slow to start (a child
     * JVM): up to {@code count} workers in all, and at most {@code maxWorkers}. Those beyond
     * {@code minWorkers} retire after {@code idleTimeout} like any idle worker.
     *
     * @param count how many workers the pool should have started
     */
    public void prestart(int count) {
        lock.lock();
        try {
            while (state == RUNNING && workers.size() < Math.min(count, settings.maxWorkers())) {
                startWorker();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns a snapshot of the counters.
     *
     * @return the stats
     */
    public PoolStats stats() {
        int live;
        int busy;
        lock.lock();
        try {
            live = workers.size();
            busy = busyWorkers();
        } finally {
            lock.unlock();
        }
        return stats.snapshot(live, busy, slots::acceptedCount);
    }

    /**
     * Stops accepting tasks, finishes queued ones, and waits for termination, termination actions
     * included. If interrupted, it stops now ({@link #shutdownNow()}) and returns with the
     * interrupt flag set.
     *
     * @throws IllegalStateException if called from a {@linkplain #onTermination termination action}
     */
    public void close() {
        shutdown();
        try {
            while (!awaitTermination(Duration.ofDays(1))) {
                LOG.debug("pool '{}' is still finishing its tasks", settings.name());
            }
        } catch (InterruptedException e) {
            shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** Moves the state forward; returns false if it was there already. */
    private boolean advance(int to) {
        lock.lock();
        try {
            if (state >= to) {
                return false;
            }
            state = to;
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void shutdown() {
        if (!advance(SHUTDOWN)) {
            return;
        }
        queue.offer(LEAVE);     // behind every task accepted so far
        lock.lock();
        try {
            slots.wakeAll();
            replenish();
            checkTerminated();
        } finally {
            unlockAndTidy();
        }
    }

    /** Cancels queued and running tasks and stops the workers. */
    public void shutdownNow() {
        if (!advance(STOP)) {
            return;
        }
        List<Object> drained = new ArrayList<>();
        queue.drainTo(drained);
        queue.offer(LEAVE);
        List<TaskRun<?>> toCancel = new ArrayList<>();
        for (Object item : drained) {
            if (item instanceof TaskRun<?> run) {
                toCancel.add(run);      // a queued task's cancel gives its slot back
            }
        }
        List<Thread> engineThreads = new ArrayList<>();
        lock.lock();
        try {
            for (WorkerSlot slot : workers) {
                // Read after STOP was set: a worker that attaches a task later sees STOP itself.
                slot.collectHeld(toCancel);
                engineThreads.add(slot.thread);
            }
            slots.wakeAll();
            checkTerminated();
        } finally {
            unlockAndTidy();
        }
        // Cancelled before their engine threads are woken: one that leaves at STOP completes what
        // its worker still holds as crashed.
        toCancel.forEach(run -> run.cancel(true));
        engineThreads.forEach(LockSupport::unpark);     // from a wait for room: it leaves at STOP
    }

    /**
     * Returns whether the pool stopped accepting tasks.
     *
     * @return true once shut down
     */
    public boolean isShutdown() {
        return state != RUNNING;
    }

    /**
     * Returns whether every worker has stopped.
     *
     * @return true once terminated
     */
    public boolean isTerminated() {
        return state == TERMINATED;
    }

    /**
     * Adds an action to run once when the engine terminates: for a pool's own resources (a
     * connection, a topic, a directory) that must outlive every task and be released with the pool,
     * however it ends.
     *
     * <p><b>When.</b> After the engine was shut down ({@link #close()} or {@link #shutdownNow()}) and
     * every task ended (every handle completed), every worker was {@linkplain Worker#close() closed}
     * and no worker is left; and before {@link #isTerminated()} turns true, so that a
     * {@link #close()} or an {@link #awaitTermination} that returns true returns after every action
     * returned. Actions run once, in the order they were added, whichever of those methods was
     * called and however often.
     *
     * <p><b>Where.</b> On the thread that made the engine quiescent, with no lock of the engine held:
     * the engine thread of the last worker to leave, or the thread that called {@code close} or
     * {@code shutdownNow} (or cancelled the last task) if no worker was left. An action therefore
     * must not wait for the pool's termination: {@code awaitTermination} (and so {@code close})
     * called from an action throws {@link IllegalStateException}.
     *
     * <p><b>Failure.</b> An action that throws is logged at WARN; the others run all the same, and
     * the engine terminates. Actions of the engine's submitters happen-before the actions run,
     * which happen-before {@code isTerminated()} returns true.
     *
     * @param action what to run
     * @throws IllegalStateException if the engine already terminates or terminated
     */
    public void onTermination(Runnable action) {
        Objects.requireNonNull(action, "action");
        lock.lock();
        try {
            if (state >= TIDYING) {
                throw new IllegalStateException("pool '" + settings.name() + "' already terminated");
            }
            terminationActions.add(action);
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
     * @throws IllegalStateException if called from a {@linkplain #onTermination termination action}
     */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        if (tidier == Thread.currentThread()) {
            throw new IllegalStateException("a termination action of pool '" + settings.name()
                    + "' waits for the termination it is part of");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Thread> toJoin;
        ScheduledThreadPoolExecutor timerToJoin;
        lock.lock();
        try {
            while (state != TERMINATED) {
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
        if (timerToJoin != null
                && !timerToJoin.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            return false;
        }
        List<Thread> all = new ArrayList<>(toJoin);
        all.addAll(timerThreads);   // an executor counts as terminated a moment before its thread ends
        for (Thread thread : all) {
            if (!thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) {
                return false;
            }
        }
        return true;
    }

    // ---- workers ----

    /** Called with the lock held: counts a worker in; {@link #liveWorkers} follows the set. */
    private void addWorker(WorkerSlot slot) {
        workers.add(slot);
        liveWorkers = workers.size();
    }

    /** Called with the lock held: counts a worker out. */
    private void removeWorker(WorkerSlot slot) {
        workers.remove(slot);
        liveWorkers = workers.size();
        slot.removed = true;
    }

    /** Called with the lock held. */
    private void startWorker() {
        WorkerSlot slot = new WorkerSlot(this, ++threadSeq);
        slot.thread = threads.name(slot.id).unstarted(() -> {
            try {
                work(slot);
            } finally {
                exited(slot);
            }
        });
        addWorker(slot);
        slot.thread.start();
    }

    /** The life of one engine thread: start its worker, then hand it executions until it leaves. */
    private void work(WorkerSlot slot) {
        // For whatever the worker and its tasks log on this thread.
        MDC.put("parx.pool", settings.name());
        MDC.put("parx.worker", slot.id);
        Worker worker;
        long starting = System.nanoTime();
        try {
            worker = factory.start(slot);
            slot.started(Objects.requireNonNull(worker, "the factory started no worker"), workerCapacity);
        } catch (Throwable failure) {
            startFailed(slot, failure);
            return;
        }
        FlightEvents.workerStarted(settings.name(), slot.id, System.nanoTime() - starting);
        long idleNanos = saturatedNanos(settings.idleTimeout());
        while (state < STOP && !slot.dead && !slot.retiring) {
            if (!slot.hasRoom()) {
                awaitEnds(slot, false);
                continue;
            }
            Object item = queue.poll();
            // A task taken at once starts when the last one ended; after a wait the clock is read anew.
            if (item == null) {
                slot.lastEnd = 0;
                item = awaitItem(slot, idleNanos);
                if (item == null) {
                    if (slot.retiring) {
                        break;
                    }
                    if (!slot.dead && slot.held() == 0 && leaveForIdleness(slot)) {
                        return;
                    }
                    continue;
                }
            }
            if (item == LEAVE) {
                queue.offer(LEAVE);     // for the next worker
                awaitEnds(slot, true);  // a worker that holds several leaves once they ended
                return;
            }
            TaskRun<?> run = (TaskRun<?>) item;
            if (slot.dead) {
                queue.offer(run);       // died while it waited: another worker takes it
                return;
            }
            if (!stats.tryStart(slot.number, run, slot.lastEnd != 0 ? slot.lastEnd : System.nanoTime())) {
                continue;               // cancelled or withdrawn in the queue: its slot was given back then
            }
            if (!slot.hold(run)) {
                crashed(slot, run, "it died as it was given the task", null, List.of());
                return;
            }
            run.attach(slot);
            FlightEvents.started(settings.name(), run, slot.id);
            // Read after attaching: a cancel or shutdownNow that came first left its mark here,
            // and one that comes later finds the task attached and stops it.
            if (state >= STOP) {
                run.cancel(false);
            }
            if (run.stopRequested()) {
                if (slot.release(run)) {
                    slots.give(slot.number);  // never handed to the worker
                }
            } else {
                execute(slot, worker, run);
            }
            Thread.interrupted();       // an interrupt a task left set must not reach the next one
            if (slot.isRetired()) {
                return;                 // retired while running: a replacement has its place
            }
        }
        awaitEnds(slot, true);
        if (slot.retiring) {
            Thread.interrupted();       // retire() may have woken it from its wait for a task
        }
    }

    /** Hands an execution to its worker, with its timeout; a worker that throws has died. */
    private void execute(WorkerSlot slot, Worker worker, TaskRun<?> run) {
        Duration timeout = run.timeout();
        if (timeout != null) {
            run.timeoutTask(timer().schedule(() -> timedOut(run), timeout.toNanos(), TimeUnit.NANOSECONDS));
        }
        try {
            worker.execute(run);
        } catch (Throwable failure) {
            died(slot, "its execute failed: " + failure, null, List.of());
        }
    }

    /** Runs a task on the calling thread and reports its end: {@link WorkerContext#runHere}. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    void runHere(WorkerSlot slot, TaskRun<?> run) {
        long end;
        try {
            Task task = TaskClasses.instantiate((Class) run.taskClass());
            Object output = task.run(run.input(), new LocalTaskContext(run, slot.id));
            end = System.nanoTime();
            run.succeed(output, end);
        } catch (Throwable failure) {
            end = System.nanoTime();
            try {
                run.fail(new TaskFailedException(run.id(), run.taskClass().getName(), failure), end);
            } catch (Throwable secondFailure) {
                // Building the exception can fail too (OutOfMemoryError): report the original.
                run.fail(failure, end);
            }
        }
        ended(slot, run, end);
    }

    /** An execution ended: its cell and its slot are free again. */
    void ended(WorkerSlot slot, TaskRun<?> run, long end) {
        run.cancelTimeout();
        if (!slot.release(run)) {
            return;                     // stopped by retiring the worker, or crashed: counted then
        }
        if (Thread.currentThread() == slot.thread) {
            slot.lastEnd = end;
            slots.give(slot.number);
        } else {
            slots.give(-1);
            // Read after freeing the cell: an engine thread that waits for room announces it first.
            if (slot.awaitingRoom) {
                LockSupport.unpark(slot.thread);
            }
        }
    }

    /**
     * Waits until one of the worker's executions ended, or all of them ({@code all}), or it died,
     * or the pool stopped now.
     */
    private void awaitEnds(WorkerSlot slot, boolean all) {
        slot.awaitingRoom = true;
        try {
            // Read after announcing the wait: an end frees its cell, then looks for the announcement.
            while (!slot.dead && state < STOP && (all ? slot.held() > 0 : !slot.hasRoom())) {
                LockSupport.park(this);
                Thread.interrupted();   // a stop meant for an execution must not end the wait
            }
        } finally {
            slot.awaitingRoom = false;
        }
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return Math.max(0, duration.toNanos());
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    /** Waits for the next item; null when the idle timeout passed or the worker died. */
    private Object awaitItem(WorkerSlot slot, long idleNanos) {
        slot.idle = true;
        try {
            return queue.take(liveWorkers > settings.minWorkers() ? idleNanos : Long.MAX_VALUE);
        } catch (InterruptedException e) {
            // A late interrupt meant for a task that already ended, the worker's death or its retirement.
            return slot.dead || slot.retiring ? null : queue.poll();
        } finally {
            // Under the monitor that retire() interrupts in: once idle is false, it interrupts no more.
            synchronized (slot) {
                slot.idle = false;
            }
        }
    }

    /**
     * The worker is done ({@link WorkerContext#retire}): it takes no further execution and leaves
     * once its executions ended; its engine thread wakes if it waits for a task.
     */
    void retire(WorkerSlot slot, String reason) {
        synchronized (slot) {
            if (slot.dead || slot.retiring) {
                return;
            }
            slot.leaveReason = reason;
            slot.retiring = true;
            // Only from a wait for a task: an interrupt must not reach the worker's own calls.
            if (slot.idle && slot.thread != Thread.currentThread()) {
                slot.thread.interrupt();
            }
        }
        LOG.debug("worker {} of pool '{}' retires: {}", slot.id, settings.name(), reason);
    }

    /** True if the worker leaves: it waited idle for the whole timeout and the pool has workers to spare. */
    private boolean leaveForIdleness(WorkerSlot slot) {
        lock.lock();
        try {
            if (workers.size() <= settings.minWorkers() && state == RUNNING) {
                return false;
            }
            removeWorker(slot);
            // Looked at after counting ourselves out: a submitter offers, then counts the workers.
            if (!queue.isEmpty()) {
                addWorker(slot);
                slot.removed = false;
                return false;
            }
            slot.leaveReason = "idle for " + settings.idleTimeout();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** A worker could not start: fail one queued task with the reason, so that none waits for it. */
    private void startFailed(WorkerSlot slot, Throwable failure) {
        slot.dead = true;
        LOG.warn("worker {} of pool '{}' could not start", slot.id, settings.name(), failure);
        Object item = queue.poll();
        if (item == LEAVE) {
            queue.offer(LEAVE);
        } else if (item instanceof TaskRun<?> run && stats.tryStart(slot.number, run, System.nanoTime())) {
            WorkerCrashedException crash = new WorkerCrashedException(slot.id, run.id(),
                    "it could not start: " + failure, null, List.of());
            crash.initCause(failure);
            run.fail(crash);
            slots.give(slot.number);
        }
    }

    /** The worker died: complete what it held as crashed, replace it, and wake its engine thread. */
    void died(WorkerSlot slot, String reason, Integer exitCode, List<String> stderrTail) {
        lock.lock();
        try {
            if (slot.dead) {
                return;
            }
            slot.dead = true;
        } finally {
            lock.unlock();
        }
        LOG.warn("worker {} of pool '{}' died: {}", slot.id, settings.name(), reason);
        stats.workerCrashed();
        FlightEvents.workerCrashed(settings.name(), slot.id, reason, exitCode);
        slot.killCells(run -> crashed(slot, run, reason, exitCode, stderrTail));
        lock.lock();
        try {
            countOutLeaving(slot);
            replace();
            checkTerminated();
        } finally {
            unlockAndTidy();
        }
        if (slot.thread != Thread.currentThread()) {
            slot.thread.interrupt();    // from a wait for a task or for room
        }
    }

    /**
     * Called with the lock held: counts out a worker that another thread retires or finds dead,
     * whose engine thread termination still waits for.
     */
    private void countOutLeaving(WorkerSlot slot) {
        if (!slot.removed) {
            removeWorker(slot);
        }
        if (!slot.leaving && !slot.exited) {     // its thread may have exited first
            slot.leaving = true;
            leavingThreads++;
        }
    }

    /**
     * Completes a task whose worker died (no-op if its handle completed already) and gives its slot
     * back; or queues it again, keeping its slot, if it may run again and the pool runs.
     */
    private void crashed(WorkerSlot slot, TaskRun<?> run, String reason, Integer exitCode, List<String> stderrTail) {
        run.cancelTimeout();
        WorkerCrashedException crash = new WorkerCrashedException(slot.id, run.id(), reason, exitCode, stderrTail);
        if (state == RUNNING && stats.requeue(run)) {
            LOG.info("task {} runs again: its worker {} died ({})", run.id(), slot.id, reason);
            queue.offer(run);
            // Read after the offer: shutting down sets the state, then queues its marker, which the
            // task may now be behind. Whoever starts it first, a worker or this thread, wins.
            if (state != RUNNING && stats.tryStart(-1, run, System.nanoTime())) {
                run.fail(crash);
                slots.give(-1);
            }
            return;
        }
        run.fail(crash);
        slots.give(-1);
    }

    private void exited(WorkerSlot slot) {
        Worker worker = slot.worker;
        if (worker != null && !slot.dead) {
            stats.workerRecycled();
            FlightEvents.workerRecycled(settings.name(), slot.id, slot.leaveReason);
        }
        if (worker != null) {
            try {
                worker.close();
            } catch (Throwable failure) {
                LOG.warn("worker {} of pool '{}' failed to close", slot.id, settings.name(), failure);
            }
        }
        // What it still holds now ended with it: its engine thread failed outside a task, or it left at STOP.
        slot.killCells(run -> crashed(slot, run, "its engine thread ended before the task did", null, List.of()));
        lock.lock();
        try {
            slot.exited = true;
            if (slot.leaving) {
                leavingThreads--;
            } else if (!slot.removed) {
                removeWorker(slot);
            }
            exitedThreads.removeIf(thread -> !thread.isAlive());
            exitedThreads.add(slot.thread);
            replace();
            checkTerminated();
        } finally {
            unlockAndTidy();
        }
    }

    /** Called with the lock held: the workers holding at least one execution. */
    private int busyWorkers() {
        return countWorkers(slot -> slot.held() > 0);
    }

    /** Called with the lock held: the workers waiting for a task. */
    private int idleWorkers() {
        return countWorkers(slot -> slot.idle);
    }

    /** Called with the lock held: the executions the workers hold. */
    private long heldExecutions() {
        long held = 0;
        for (WorkerSlot slot : workers) {
            held += slot.held();
        }
        return held;
    }

    /** Called with the lock held. */
    private int countWorkers(Predicate<WorkerSlot> which) {
        int count = 0;
        for (WorkerSlot slot : workers) {
            if (which.test(slot)) {
                count++;
            }
        }
        return count;
    }

    /** Counts a completing task in the stripe of the worker that ran it, if that worker's thread completes it. */
    private void completing(TaskRun<?> run, Throwable failure, long nanos) {
        int number = run.worker() instanceof WorkerSlot slot && slot.thread == Thread.currentThread() ? slot.number : -1;
        stats.completed(number, run, failure, nanos);
    }

    /** Called with the lock held, after a worker left for good: keeps {@code minWorkers}, or starts one if tasks wait. */
    private void replace() {
        if (state == RUNNING && workers.size() < settings.minWorkers()) {
            startWorker();
        } else {
            replenish();
        }
    }

    /** Called with the lock held. Starts a worker if tasks wait with nobody to take them, or if below the minimum. */
    private void replenish() {
        long queued = slots.inUse() - heldExecutions();
        boolean belowMin = state == RUNNING && workers.size() < settings.minWorkers() && queued > 0;
        boolean starving = state < STOP && queued > idleWorkers() && workers.size() < settings.maxWorkers();
        if (belowMin || starving) {
            startWorker();
        }
    }

    /** Called with the lock held. */
    private void checkTerminated() {
        if ((state == SHUTDOWN || state == STOP) && workers.isEmpty() && leavingThreads == 0 && slots.inUse() == 0) {
            state = TIDYING;
            tidyingClaimable = true;
        }
    }

    /**
     * Releases the lock, held once; if a {@link #checkTerminated} under it made the engine quiescent,
     * runs the termination actions, outside the lock, and then terminates.
     */
    private void unlockAndTidy() {
        boolean mine = tidyingClaimable;
        tidyingClaimable = false;
        List<Runnable> actions = mine ? List.copyOf(terminationActions) : List.of();
        lock.unlock();
        if (!mine) {
            return;
        }
        tidier = Thread.currentThread();
        try {
            for (Runnable action : actions) {
                try {
                    action.run();
                } catch (Throwable failure) {
                    LOG.warn("a termination action of pool '{}' failed", settings.name(), failure);
                }
            }
        } finally {
            tidier = null;
            lock.lock();
            try {
                state = TERMINATED;
                terminated.signalAll();
                if (timer != null) {
                    timer.shutdownNow();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    // ---- cancellation and timeouts ----

    private void cancelled(TaskRun<?> run, boolean mayInterrupt) {
        if (run.doneInQueue()) {
            slots.give(-1);   // the worker that takes it from the queue skips it
            if (state != RUNNING) {
                lock.lock();
                try {
                    checkTerminated();
                } finally {
                    unlockAndTidy();
                }
            }
        } else {
            stopRunning(run, mayInterrupt);
        }
    }

    private void timedOut(TaskRun<?> run) {
        run.fail(new TaskTimeoutException(run.id(), run.timeout()));   // before the stop request: see TaskRun.fail
        stopRunning(run, true);
    }

    private void stopRunning(TaskRun<?> run, boolean interrupt) {
        run.requestStop();
        // Read after the request: an engine thread attaches, then looks for the request.
        if (!(run.worker() instanceof WorkerSlot slot)) {
            return;
        }
        Worker worker = slot.worker;
        if (worker.stopsInPlace()) {
            if (slot.holds(run)) {
                worker.stop(run, interrupt);    // it reports the end as usual
            }
            return;
        }
        // Only the call that retires the worker stops it: a retired worker runs no other task, so
        // an interrupt cannot reach one.
        if (slot.retireStopped(run)) {
            slot.leaveReason = "task " + run.id() + " was stopped while it ran";
            run.cancelTimeout();
            worker.stop(run, interrupt);
            slots.give(-1);
            lock.lock();
            try {
                countOutLeaving(slot);
                LOG.debug("retired {} after task {} was stopped; a new worker takes its place", slot.id, run.id());
                replace();
                checkTerminated();      // the worker may have left already
            } finally {
                unlockAndTidy();
            }
        }
    }

    private ScheduledThreadPoolExecutor timer() {
        lock.lock();
        try {
            if (timer == null) {
                ThreadFactory factory = Thread.ofPlatform().daemon(true).name(threadPrefix + "timer").factory();
                timer = new ScheduledThreadPoolExecutor(1, task -> {
                    Thread thread = factory.newThread(task);
                    timerThreads.add(thread);   // joined by awaitTermination, like the workers
                    return thread;
                });
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
