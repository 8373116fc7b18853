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
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The queue and the workers behind every pool whose workers are threads of this JVM:
 * {@code ThreadPool}, and {@code CommandPool}, whose worker threads each run one command at a
 * time. Shared through the qualified export of {@code dev.parx.internal}.
 *
 * <p>The path of a task is lock-free, and submitters and workers write to different cache lines
 * wherever they can. A submitter takes a slot by counting up {@code accepted}, at most
 * {@code maxQueue + maxWorkers} ahead of {@code released}, then hands the task over through a
 * lock-free queue that idle workers wait on. A worker that finishes a task gives the slot back by
 * counting up its own stripe of {@code released}; submitters sum the stripes only when they reach
 * the bound they last saw. Each counter that changes with every task sits on 128 bytes of its own.
 * A task cancelled in the queue stays there, marked done: the canceller gives its slot back at
 * once, and the worker that takes it skips it. One lock guards the rest: the worker set, the life
 * cycle, and submitters blocked on a full queue. Shutting down enqueues a marker that tells
 * workers to leave; a submitter that enqueued and then finds the pool shut down takes its task
 * back if no worker started it, so that nothing is stranded behind the marker.
 *
 * <p>A worker whose task was cancelled or timed out is retired at once and replaced, because a
 * thread cannot be forced to stop: the retired thread leaves when its task returns, and
 * termination waits for it.
 */
public final class PoolEngine {

    private static final System.Logger LOG = System.getLogger(PoolEngine.class.getName());

    private static final int RUNNING = 0;
    private static final int SHUTDOWN = 1;
    private static final int STOP = 2;
    private static final int TERMINATED = 3;

    /** Queued behind the last task once the pool shuts down; a worker that takes it puts it back and leaves. */
    private static final Object LEAVE = new Object();
    /** A worker's {@code current} once its task was stopped and the worker retired. */
    private static final Object RETIRED = new Object();

    private static final VarHandle CURRENT;
    private static final VarHandle ACCEPT_LIMIT;
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    /** Longs between hot counters: 128 bytes. */
    private static final int SPACING = 16;
    private static final int ACCEPTED = SPACING;

    static {
        try {
            CURRENT = MethodHandles.lookup().findVarHandle(Worker.class, "current", Object.class);
            ACCEPT_LIMIT = MethodHandles.lookup().findVarHandle(PoolEngine.class, "acceptLimit", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final PoolSettings settings;
    private final Consumer<Class<?>> taskCheck;
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
    private final int capacity;

    // The lock-free path.
    private final HandOff queue = new HandOff();
    /** At {@link #ACCEPTED}: slots ever taken, by submitters; the last one is the number of the newest task. */
    private final long[] accepted = new long[ACCEPTED * 2];
    /** Slots ever given back: one stripe per worker number, and 128 bytes apart; see {@link #releasedIndex}. */
    private final long[] released;
    private final int releasedMask;
    private volatile long acceptLimit;          // accepted may grow to this: some past sum of released + capacity
    private volatile int state = RUNNING;
    private volatile int liveWorkers;           // workers.size(), readable without the lock
    private volatile int blockedSubmitters;     // written under the lock

    // Guarded by lock.
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition roomAvailable = lock.newCondition();
    private final Condition terminated = lock.newCondition();
    private final Set<Worker> workers = new HashSet<>();
    private final List<Thread> exitedThreads = new ArrayList<>();
    private int retiredRunning;
    private int threadSeq;
    private ScheduledThreadPoolExecutor timer;
    private final List<Thread> timerThreads = new CopyOnWriteArrayList<>();

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
        this.capacity = (int) Math.min(Integer.MAX_VALUE, (long) settings.maxQueue() + settings.maxWorkers());
        this.acceptLimit = capacity;
        this.stats = new StatsRecorder(settings.maxWorkers());
        int releasedStripes = StatsRecorder.workerStripes(settings.maxWorkers());
        this.released = new long[(releasedStripes + 1) * SPACING + SPACING];
        this.releasedMask = releasedStripes - 1;
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
        long number = takeSlot(taskClass);
        TaskRun<O> run = new TaskRun<>(owner, number, taskClass, input, timeout);
        queue.offer(run);
        // Read after the offer: shutting down sets the state, then enqueues its marker.
        if (state != RUNNING && run.withdraw()) {
            stats.withdrawn();
            giveSlot(-1);
            lock.lock();
            try {
                checkTerminated();
            } finally {
                lock.unlock();
            }
            throw rejected(Reason.SHUT_DOWN, taskClass, null, false);
        }
        // Read after the offer: a worker leaving for idleness counts itself out before it looks
        // at the queue, so one of the two sees the other.
        // More tasks than workers means some wait with nobody to take them; replenish looks closer.
        int live = liveWorkers;
        if (live < settings.maxWorkers() && slotsTaken() > live) {
            lock.lock();
            try {
                replenish();
            } finally {
                lock.unlock();
            }
        }
        return run;
    }

    /** Takes a slot, or rejects or blocks per the queue policy; returns the number of the task that gets it. */
    private long takeSlot(Class<?> taskClass) {
        while (true) {
            if (state != RUNNING) {
                throw rejected(Reason.SHUT_DOWN, taskClass, null, true);
            }
            long taken = acceptedCount();
            if (taken < acceptLimit || taken < raiseLimit()) {
                if (LONGS.compareAndSet(accepted, ACCEPTED, taken, taken + 1)) {
                    return taken + 1;
                }
                continue;
            }
            if (settings.fullQueuePolicy() == FullQueuePolicy.REJECT) {
                throw rejected(Reason.QUEUE_FULL, taskClass, null, true);
            }
            lock.lock();
            try {
                blockedSubmitters++;
                // Looked at after counting ourselves in: giveSlot frees, then looks for us.
                while (state == RUNNING && acceptedCount() >= raiseLimit()) {
                    roomAvailable.await();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw rejected(Reason.INTERRUPTED, taskClass, e, true);
            } finally {
                blockedSubmitters--;
                lock.unlock();
            }
        }
    }

    /** Looks at the slots given back and raises {@link #acceptLimit} to match; returns the new limit. */
    private long raiseLimit() {
        long limit = releasedCount() + capacity;
        long seen;
        while ((seen = acceptLimit) < limit) {
            if (ACCEPT_LIMIT.compareAndSet(this, seen, limit)) {
                break;
            }
        }
        return limit;
    }

    /** Accepted tasks not finished yet: queued, running, or cancelled in the queue and not yet skipped. */
    private long slotsTaken() {
        return acceptedCount() - releasedCount();
    }

    private long acceptedCount() {
        return (long) LONGS.getVolatile(accepted, ACCEPTED);
    }

    private long releasedCount() {
        long sum = 0;
        for (int stripe = 0; stripe <= releasedMask + 1; stripe++) {
            sum += (long) LONGS.getVolatile(released, (stripe + 1) * SPACING);
        }
        return sum;
    }

    /** Where a worker, by number, counts the slots it gives back; other threads count in a stripe of their own. */
    private int releasedIndex(int worker) {
        return (worker < 0 ? releasedMask + 2 : (worker & releasedMask) + 1) * SPACING;
    }

    /**
     * Gives a slot back.
     *
     * @param worker the number of the worker giving it back, or -1 for any other thread
     */
    private void giveSlot(int worker) {
        LONGS.getAndAdd(released, releasedIndex(worker), 1L);
        if (blockedSubmitters > 0) {
            lock.lock();
            try {
                roomAvailable.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private RejectedTaskException rejected(Reason reason, Class<?> taskClass, InterruptedException cause,
            boolean count) {
        if (count) {
            stats.rejected();
        }
        String pool = "pool '" + settings.name() + "'";
        String message = switch (reason) {
            case SHUT_DOWN -> pool + " is shut down and accepts no more tasks";
            case QUEUE_FULL -> pool + " has a full queue (maxQueue " + settings.maxQueue() + ", all "
                    + settings.maxWorkers() + " workers busy)";
            case INTERRUPTED -> "interrupted while waiting for room in " + pool;
        };
        return new RejectedTaskException(reason, message + "; rejected " + taskClass.getName(), cause);
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
        return stats.snapshot(live, busy, this::acceptedCount);
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
            roomAvailable.signalAll();
            replenish();
            checkTerminated();
        } finally {
            lock.unlock();
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
        lock.lock();
        try {
            for (Worker worker : workers) {
                // Read after STOP was set: a worker that attaches a task later sees STOP itself.
                if (worker.current instanceof TaskRun<?> run) {
                    toCancel.add(run);
                }
            }
            roomAvailable.signalAll();
            checkTerminated();
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

    private final class Worker implements Runnable {
        /** Numbers the worker's stripes of the counters; its thread's name ends with it. */
        private final int number;
        private Thread thread;
        /** Null between tasks, the TaskRun being run, or RETIRED; changed by compare-and-set. */
        private volatile Object current;
        /** Whether it waits for a task. */
        private volatile boolean idle;
        private boolean removed;      // guarded by lock: no longer in workers

        Worker(int number) {
            this.number = number;
        }

        @Override
        public void run() {
            try {
                work(this);
            } finally {
                exited(this);
            }
        }
    }

    /** Called with the lock held: counts a worker in; {@link #liveWorkers} follows the set. */
    private void addWorker(Worker worker) {
        workers.add(worker);
        liveWorkers = workers.size();
    }

    /** Called with the lock held: counts a worker out. */
    private void removeWorker(Worker worker) {
        workers.remove(worker);
        liveWorkers = workers.size();
    }

    /** Called with the lock held. */
    private void startWorker() {
        Worker worker = new Worker(++threadSeq);
        worker.thread = threads.name(threadPrefix + worker.number).unstarted(worker);
        addWorker(worker);
        worker.thread.start();
    }

    private void work(Worker worker) {
        long idleNanos = saturatedNanos(settings.idleTimeout());
        long lastEnd = 0;   // when the last task returned
        while (state != STOP) {
            Object item = queue.poll();
            // A task taken at once starts when the last one returned; after a wait the clock is read anew.
            if (item == null) {
                lastEnd = 0;
                item = awaitItem(worker, idleNanos);
                if (item == null) {
                    if (leaveForIdleness(worker)) {
                        return;
                    }
                    continue;
                }
            }
            if (item == LEAVE) {
                queue.offer(LEAVE);     // for the next worker
                return;
            }
            TaskRun<?> run = (TaskRun<?>) item;
            if (!stats.tryStart(worker.number, run, lastEnd != 0 ? lastEnd : System.nanoTime())) {
                continue;               // cancelled or withdrawn in the queue: its slot was given back then
            }
            worker.current = run;
            run.attach(worker);
            // Read after attaching: a cancel or shutdownNow that came first left its mark here,
            // and one that comes later finds the task attached and stops it.
            if (state == STOP) {
                run.cancel(false);
            } else if (!run.stopRequested()) {
                lastEnd = execute(run);
            }
            Thread.interrupted();       // an interrupt the task left set must not reach the next one
            if (!CURRENT.compareAndSet(worker, run, null)) {
                return;                 // retired while running: a replacement has its slot
            }
            giveSlot(worker.number);
        }
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return Math.max(0, duration.toNanos());
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    /** Waits for the next item; null when the idle timeout passed. */
    private Object awaitItem(Worker worker, long idleNanos) {
        worker.idle = true;
        try {
            return queue.take(liveWorkers > settings.minWorkers() ? idleNanos : Long.MAX_VALUE);
        } catch (InterruptedException e) {
            return queue.poll();    // a late interrupt meant for a task that already returned
        } finally {
            worker.idle = false;
        }
    }

    /** True if the worker leaves: it waited idle for the whole timeout and the pool has workers to spare. */
    private boolean leaveForIdleness(Worker worker) {
        lock.lock();
        try {
            if (workers.size() <= settings.minWorkers() && state == RUNNING) {
                return false;
            }
            removeWorker(worker);
            // Looked at after counting ourselves out: a submitter offers, then counts the workers.
            if (!queue.isEmpty()) {
                addWorker(worker);
                return false;
            }
            worker.removed = true;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Runs the task and completes its handle; returns when it returned, by {@link System#nanoTime()}. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private long execute(TaskRun<?> run) {
        ScheduledFuture<?> timeout = run.timeout() == null ? null
                : timer().schedule(() -> timedOut(run), run.timeout().toNanos(), TimeUnit.NANOSECONDS);
        try {
            Task task = TaskClasses.instantiate((Class) run.taskClass());
            Object output = task.run(run.input(), new LocalTaskContext(run, Thread.currentThread().getName()));
            long end = System.nanoTime();
            run.succeed(output, end);
            return end;
        } catch (Throwable failure) {
            long end = System.nanoTime();
            try {
                run.fail(new TaskFailedException(run.id(), run.taskClass().getName(), failure), end);
            } catch (Throwable secondFailure) {
                // Building the exception can fail too (OutOfMemoryError): report the original.
                run.fail(failure, end);
            }
            return end;
        } finally {
            if (timeout != null) {
                timeout.cancel(false);
            }
        }
    }

    private void exited(Worker worker) {
        Object last = worker.current;
        if (last instanceof TaskRun<?> && CURRENT.compareAndSet(worker, last, null)) {
            // The worker died of something thrown outside the task; keep the counts right.
            giveSlot(worker.number);
        }
        lock.lock();
        try {
            if (worker.current == RETIRED) {
                retiredRunning--;
            } else if (!worker.removed) {
                removeWorker(worker);
            }
            exitedThreads.removeIf(thread -> !thread.isAlive());
            exitedThreads.add(worker.thread);
            replenish();
            checkTerminated();
        } finally {
            lock.unlock();
        }
    }

    /** Called with the lock held: the workers running a task (retired ones are no longer in the set). */
    private int busyWorkers() {
        return countWorkers(worker -> worker.current instanceof TaskRun<?>);
    }

    /** Called with the lock held: the workers waiting for a task. */
    private int idleWorkers() {
        return countWorkers(worker -> worker.idle);
    }

    /** Called with the lock held. */
    private int countWorkers(Predicate<Worker> which) {
        int count = 0;
        for (Worker worker : workers) {
            if (which.test(worker)) {
                count++;
            }
        }
        return count;
    }

    /** Counts a completing task in the stripe of the worker that ran it, if that worker completes it. */
    private void completing(TaskRun<?> run, Throwable failure, long nanos) {
        int number = run.worker() instanceof Worker worker && worker.thread == Thread.currentThread() ? worker.number : -1;
        stats.completed(number, run, failure, nanos);
    }

    /** Called with the lock held. Starts a worker if tasks wait with nobody to take them, or if below the minimum. */
    private void replenish() {
        long queued = slotsTaken() - busyWorkers();
        boolean belowMin = state == RUNNING && workers.size() < settings.minWorkers() && queued > 0;
        boolean starving = state < STOP && queued > idleWorkers() && workers.size() < settings.maxWorkers();
        if (belowMin || starving) {
            startWorker();
        }
    }

    /** Called with the lock held. */
    private void checkTerminated() {
        if ((state == SHUTDOWN || state == STOP) && workers.isEmpty() && retiredRunning == 0 && slotsTaken() == 0) {
            state = TERMINATED;
            terminated.signalAll();
            if (timer != null) {
                timer.shutdownNow();
            }
        }
    }

    // ---- cancellation and timeouts ----

    private void cancelled(TaskRun<?> run, boolean mayInterrupt) {
        if (run.doneInQueue()) {
            giveSlot(-1);   // the worker that takes it from the queue skips it
            if (state != RUNNING) {
                lock.lock();
                try {
                    checkTerminated();
                } finally {
                    lock.unlock();
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
        // Only the call that retires the worker interrupts it: a retired worker runs no other
        // task, so the interrupt cannot reach one.
        if (run.worker() instanceof Worker worker && CURRENT.compareAndSet(worker, run, RETIRED)) {
            if (interrupt) {
                worker.thread.interrupt();
            }
            giveSlot(-1);
            lock.lock();
            try {
                removeWorker(worker);
                worker.removed = true;
                retiredRunning++;
                LOG.log(System.Logger.Level.DEBUG, "retired {0} after task {1} was stopped; a new worker takes its place",
                        worker.thread.getName(), run.id());
                replenish();
                checkTerminated();      // the worker may have left already
            } finally {
                lock.unlock();
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
