package dev.parx.engine;

import dev.parx.engine.internal.TaskRun;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The engine's record of one worker: its engine thread, the {@link Worker} the factory made, the
 * executions it holds, and the {@link WorkerContext} through which it reports. Every report goes
 * to the {@link PoolEngine}, which owns the bookkeeping.
 *
 * <p>Each of the worker's {@linkplain WorkerFactory#workerCapacity() capacity} cells is null (free), the
 * {@link TaskRun} it holds, {@link #RETIRED} (its execution was stopped and the worker retired) or
 * {@link #DEAD}; a cell changes only by compare-and-set, so exactly one of an execution's end, its
 * stop and the worker's death frees it.
 */
final class WorkerSlot implements WorkerContext {

    /** A cell whose execution was stopped by retiring the worker: its slot was given back then. */
    static final Object RETIRED = new Object();
    /** A cell of a worker that died: its execution, if any, was completed as crashed. */
    static final Object DEAD = new Object();

    private static final VarHandle CELLS = MethodHandles.arrayElementVarHandle(Object[].class);

    private final PoolEngine engine;
    /** Numbers the worker's stripes of the counters; its id ends with it. */
    final int number;
    final String id;
    Thread thread;
    /** Set once the factory returned it, on the engine thread. */
    Worker worker;
    /** One per execution the worker may hold; sized once the worker started. */
    private volatile Object[] cells = new Object[1];
    /** Whether the engine thread waits for a task. */
    volatile boolean idle;
    /** Whether the engine thread waits for one of the worker's executions to end. */
    volatile boolean awaitingRoom;
    volatile boolean dead;
    /** Set once by {@link #retire(String)}: the worker takes no further execution and leaves once it holds none. */
    volatile boolean retiring;
    /** Why the worker left, for its flight recorder event; written before it leaves. */
    volatile String leaveReason = "the pool shut down";
    /** When the engine thread's last execution here ended, by {@link System#nanoTime()}; its own field. */
    long lastEnd;
    boolean removed;        // guarded by the engine's lock: no longer in its worker set
    boolean exited;         // guarded by the engine's lock: its engine thread ended
    boolean leaving;        // guarded by the engine's lock: removed by another thread, which counted its engine thread as leaving

    WorkerSlot(PoolEngine engine, int number) {
        this.engine = engine;
        this.number = number;
        this.id = engine.threadPrefix() + number;
    }

    /** Called on the engine thread once the worker started. */
    void started(Worker started, int capacity) {
        if (capacity > 1 && !started.stopsInPlace()) {
            throw new IllegalStateException("worker " + id + " holds " + capacity
                    + " executions at once, so it must stop them in place");
        }
        cells = new Object[capacity];
        worker = started;
        // Read after publishing the cells: a death reported meanwhile marked either these or is seen here.
        if (dead) {
            throw new IllegalStateException("worker " + id + " died while it started");
        }
    }

    // ---- cells ----

    /** Places a started execution in a free cell; false if the worker died meanwhile. */
    boolean hold(TaskRun<?> run) {
        Object[] all = cells;
        for (int i = 0; i < all.length; i++) {
            Object seen = CELLS.getVolatile(all, i);
            if (seen == DEAD) {
                return false;
            }
            if (seen == null && CELLS.compareAndSet(all, i, null, run)) {
                return true;
            }
        }
        throw new IllegalStateException("worker " + id + " has no free cell");
    }

    /** Frees the cell of an execution that ended; false if it was not held (stopped, crashed, or ended already). */
    boolean release(TaskRun<?> run) {
        return swap(run, null);
    }

    /** Marks the cell of a stopped execution retired; false if it was not held. */
    boolean retireStopped(TaskRun<?> run) {
        return swap(run, RETIRED);
    }

    private boolean swap(TaskRun<?> run, Object to) {
        Object[] all = cells;
        for (int i = 0; i < all.length; i++) {
            if (CELLS.getVolatile(all, i) == run) {
                return CELLS.compareAndSet(all, i, run, to);
            }
        }
        return false;
    }

    /** Whether a cell holds this execution, or marker, or is free (null). */
    boolean holds(Object run) {
        Object[] all = cells;
        for (int i = 0; i < all.length; i++) {
            if (CELLS.getVolatile(all, i) == run) {
                return true;
            }
        }
        return false;
    }

    /** Marks every cell dead and calls {@code crashed} for each execution that was held. */
    void killCells(Consumer<TaskRun<?>> crashed) {
        Object[] all = cells;
        for (int i = 0; i < all.length; i++) {
            Object seen;
            do {
                seen = CELLS.getVolatile(all, i);
                if (seen == RETIRED || seen == DEAD) {
                    break;
                }
            } while (!CELLS.compareAndSet(all, i, seen, DEAD));
            if (seen instanceof TaskRun<?> run) {
                crashed.accept(run);
            }
        }
    }

    /** Adds the executions held now. */
    void collectHeld(List<? super TaskRun<?>> into) {
        Object[] all = cells;
        for (int i = 0; i < all.length; i++) {
            if (CELLS.getVolatile(all, i) instanceof TaskRun<?> run) {
                into.add(run);
            }
        }
    }

    /** The number of executions held now. */
    int held() {
        int count = 0;
        Object[] all = cells;
        for (int i = 0; i < all.length; i++) {
            if (CELLS.getVolatile(all, i) instanceof TaskRun<?>) {
                count++;
            }
        }
        return count;
    }

    boolean hasRoom() {
        return holds(null);
    }

    boolean isRetired() {
        return holds(RETIRED);
    }

    // ---- WorkerContext ----

    @Override
    public String workerId() {
        return id;
    }

    @Override
    public String poolName() {
        return engine.name();
    }

    @Override
    public void runHere(Execution execution) {
        engine.runHere(this, mine(execution));
    }

    @Override
    public void succeeded(Execution execution, Object output) {
        TaskRun<?> run = mine(execution);
        if (run == null) {
            return;
        }
        long end = System.nanoTime();
        run.succeed(output, end);
        engine.ended(this, run, end);
    }

    @Override
    public void failed(Execution execution, Throwable failure) {
        Objects.requireNonNull(failure, "failure");
        TaskRun<?> run = mine(execution);
        if (run == null) {
            return;
        }
        long end = System.nanoTime();
        run.fail(failure, end);
        engine.ended(this, run, end);
    }

    @Override
    public void progress(Execution execution, double fraction, String message) {
        TaskRun<?> run = mine(execution);
        if (run != null) {
            run.progress(fraction, message);
        }
    }

    @Override
    public void emitted(Execution execution, Object message) {
        TaskRun<?> run = mine(execution);
        if (run != null) {
            run.emit(message);
        }
    }

    @Override
    public Object nextMessage(Execution execution, Duration timeout) throws InterruptedException {
        TaskRun<?> run = mine(execution);
        if (run == null) {
            throw new IllegalArgumentException("worker " + id + " died; execution " + execution.taskId()
                    + " is no longer its");
        }
        return run.receive(Object.class, timeout);
    }

    @Override
    public void forwardMessages(Execution execution, Consumer<Object> sink) {
        mine(execution).forwardSent(Objects.requireNonNull(sink, "sink"));
    }

    @Override
    public void retire(String reason) {
        engine.retire(this, Objects.requireNonNull(reason, "reason"));
    }

    @Override
    public void died(String reason, Integer exitCode, List<String> stderrTail) {
        engine.died(this, reason, exitCode, List.copyOf(stderrTail));
    }

    /** The execution as this worker's; null if the worker died and the task was queued again since. */
    private TaskRun<?> mine(Execution execution) {
        if (execution instanceof TaskRun<?> run && run.worker() == this) {
            return run;
        }
        if (dead && execution instanceof TaskRun<?> run) {
            return null;    // a report that raced the worker's death, of a task queued again since: dropped
        }
        throw new IllegalArgumentException("execution " + (execution == null ? null : execution.taskId())
                + " is not one of worker " + id + "'s");
    }

    @Override
    public String toString() {
        return id;
    }
}
