package dev.parx.engine.internal;

import dev.parx.ProgressListener;
import dev.parx.Task;
import dev.parx.TaskHandle;
import dev.parx.WaitInterruptedException;
import dev.parx.engine.Execution;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * One submitted task: its handle, its life cycle (queued, running, done) and its two message
 * streams. Shared by every pool implementation.
 *
 * <p>Progress, messages and the completion itself pass through one {@link SerialExecutor}, which
 * is why listeners see every event a task sent before they see it complete. Cancellation bypasses
 * it, so that {@link #cancel(boolean)} completes the handle before it returns, as {@code Future}
 * requires.
 *
 * <p>A pool creates one of these for every task, and a worker on another core reads it, so it is
 * kept small: what only tasks that send or receive events need lives in an {@link Events} object
 * made on first use.
 *
 * @param <O> the output type
 */
public final class TaskRun<O> implements TaskHandle<O>, Execution {

    /** The pool a task belongs to: names its tasks and hears of their cancellation and completion. */
    public interface Owner {
        /**
         * Returns the prefix of task ids: a task's id is the prefix, a dash, and its number.
         *
         * @return the prefix
         */
        String taskIdPrefix();

        /**
         * Called once, after a handle completed as cancelled by its user.
         *
         * @param run the cancelled task
         * @param mayInterrupt whether the user allowed interrupting a running task
         */
        void cancelled(TaskRun<?> run, boolean mayInterrupt);

        /**
         * Called exactly once per task, before its handle's future completes.
         *
         * @param run the task
         * @param failure what it completes with, or null for an output
         * @param nanos when it completed, by {@link System#nanoTime()}
         */
        void completing(TaskRun<?> run, Throwable failure, long nanos);
    }

    /** What only a task that sends events or receives messages needs; the streams are used inside its delivery. */
    private static final class Events {
        final SerialExecutor delivery = new SerialExecutor();
        final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
        final Stream<ProgressListener, Progress> progress = new Stream<>(
                (listener, report) -> listener.onProgress(report.fraction(), report.message()));
        final Stream<Consumer<Object>, Object> messages = new Stream<>(Consumer::accept);
        /** Where sent messages go instead of the inbox, once a worker asked for them; guarded by this object when set. */
        volatile Consumer<Object> forward;
    }

    private record Progress(double fraction, String message) {
    }

    /**
     * One kind of event and its listeners. Events that arrive before the first listener are kept
     * and delivered to it when it registers. Not thread-safe: used inside a task's delivery only.
     *
     * @param <L> the listener type
     * @param <E> the event type
     */
    private static final class Stream<L, E> {
        private final BiConsumer<L, E> deliver;
        private final List<L> listeners = new ArrayList<>();
        private List<E> unheard = new ArrayList<>();   // null once the first listener registered

        Stream(BiConsumer<L, E> deliver) {
            this.deliver = deliver;
        }

        void publish(E event) {
            if (unheard != null) {
                unheard.add(event);
            } else {
                for (L listener : listeners) {
                    deliver.accept(listener, event);
                }
            }
        }

        void listen(L listener) {
            listeners.add(listener);
            if (unheard != null) {
                List<E> replay = unheard;
                unheard = null;
                for (E event : replay) {
                    deliver.accept(listener, event);
                }
            }
        }
    }

    /** How often a waiter gives its processor away before it parks; see {@link #awaitBriefly()}. */
    private static final int YIELDS_BEFORE_PARKING = 16;
    /** How often a completion that lost spins before it yields; see {@link #awaitFinal()}. */
    private static final int SPINS_BEFORE_YIELDING = 64;

    static final int QUEUED = 0;
    static final int RUNNING = 1;
    static final int DONE = 2;
    /** Taken back by its submitter before any worker started it; its handle was never returned. */
    static final int WITHDRAWN = 3;

    /** What {@link #outcome} holds from the moment a completion is claimed until the pool's hook returned. */
    private static final Object CLAIMED = new Object();
    /** What {@link #outcome} holds for a null output. */
    private static final Object NULL_OUTPUT = new Object();

    /** What {@link #outcome} holds for a failure: a type of its own, so that no output is mistaken for one. */
    private record Failure(Throwable cause) {
    }

    private static final VarHandle STATE;
    private static final VarHandle OUTCOME;
    private static final VarHandle FUTURE;
    private static final VarHandle EVENTS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(TaskRun.class, "state", int.class);
            OUTCOME = lookup.findVarHandle(TaskRun.class, "outcome", Object.class);
            FUTURE = lookup.findVarHandle(TaskRun.class, "future", CompletableFuture.class);
            EVENTS = lookup.findVarHandle(TaskRun.class, "events", Events.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Owner owner;
    private final long number;
    private final Class<? extends Task<?, O>> taskClass;
    // dropped once no worker can start the task, so that a cancelled task that still waits in the
    // queue does not keep its input alive; read only by the worker that started the task
    private Object input;
    private final Duration timeout;
    private int retriesLeft;                    // runs left after a crash; changed only by requeue, under the stats' monitor
    private final long submittedNanos = System.nanoTime();

    private volatile int state;                 // QUEUED, RUNNING, DONE, WITHDRAWN
    // null; CLAIMED while the pool's hook runs; then the output (or NULL_OUTPUT) or a Failure
    private volatile Object outcome;
    // made by the first caller that must wait or attach callbacks: most handles are done before anyone looks
    private volatile CompletableFuture<O> future;
    private volatile boolean stopRequested;
    private boolean doneInQueue;                // written by markDone, read by the same thread
    private volatile Events events;             // made on first use: most tasks send and receive nothing
    // written before the compare-and-set that starts the task, which publishes it to whoever
    // completes the task: markDone reads the state first
    private long startedNanos;
    private volatile Object worker;
    // the pending timeout, if any; written and cancelled by the engine, never read by the task
    private volatile ScheduledFuture<?> timeoutTask;

    /**
     * Creates a queued task.
     *
     * @param owner the pool
     * @param number the task's number in its pool, which its id ends with
     * @param taskClass the task class
     * @param input the input as submitted
     * @param timeout the run-time limit, or null
     * @param crashRetries how many times it may run again after its worker died under it
     */
    public TaskRun(Owner owner, long number, Class<? extends Task<?, O>> taskClass, Object input, Duration timeout,
            int crashRetries) {
        this.owner = owner;
        this.number = number;
        this.taskClass = taskClass;
        this.input = input;
        this.timeout = timeout;
        this.retriesLeft = crashRetries;
    }

    // ---- for pools ----

    /**
     * Returns the task class.
     *
     * @return the task class
     */
    public Class<? extends Task<?, O>> taskClass() {
        return taskClass;
    }

    /**
     * Returns the input as submitted; for the worker that started the task (null once the task
     * completed or was withdrawn before any worker started it).
     *
     * @return the input as submitted
     */
    public Object input() {
        return input;
    }

    /**
     * Returns the run-time limit, or null.
     *
     * @return the run-time limit, or null
     */
    public Duration timeout() {
        return timeout;
    }

    long submittedNanos() {
        return submittedNanos;
    }

    long startedNanos() {
        return startedNanos;
    }

    boolean markStarted(long nanos) {
        startedNanos = Math.max(nanos, submittedNanos);   // a worker's clock reading may predate the submit
        return STATE.compareAndSet(this, QUEUED, RUNNING);
    }

    /**
     * Puts a running task back in the queued state after its worker died, if it has retries left
     * and its handle did not complete; the engine then queues it again.
     */
    boolean markRequeued() {
        if (retriesLeft <= 0 || !STATE.compareAndSet(this, RUNNING, QUEUED)) {
            return false;
        }
        retriesLeft--;
        worker = null;
        cancelTimeout();
        return true;
    }

    /** Moves to done; returns the state before: QUEUED, RUNNING or WITHDRAWN. */
    int markDone() {
        int before = (int) STATE.getAndSet(this, DONE);
        doneInQueue = before == QUEUED;
        if (before != RUNNING) {
            input = null;   // no worker started it and none will: markStarted fails from here on
        }
        return before;
    }

    /**
     * Returns whether the handle completed while the task still waited in the queue: no worker
     * will run it, and whoever completed it (a cancel) gives back its place in the queue. Read
     * only by the thread that completed the handle, as in {@link Owner#cancelled}.
     *
     * @return true if it completed before any worker started it
     */
    public boolean doneInQueue() {
        return doneInQueue;
    }

    /**
     * Takes back a task that no worker started, without completing its handle: for a submitter
     * that must reject the task it just queued. A worker that takes it later skips it.
     *
     * @return true if no worker had started it
     */
    public boolean withdraw() {
        if (STATE.compareAndSet(this, QUEUED, WITHDRAWN)) {
            input = null;
            return true;
        }
        return false;
    }

    /**
     * Records which of the pool's workers runs this task, so that a cancel can find it.
     *
     * @param owner the pool's worker object
     */
    public void attach(Object owner) {
        this.worker = owner;
    }

    /**
     * Returns the pool's worker object running this task, or null if none was attached.
     *
     * @return the pool's worker object, or null
     */
    public Object worker() {
        return worker;
    }

    /**
     * Records the pending timeout of a started task, so that its end can cancel it.
     *
     * @param task the scheduled timeout
     */
    public void timeoutTask(ScheduledFuture<?> task) {
        this.timeoutTask = task;
    }

    /** Cancels the pending timeout, if any; for the thread that ends the task. */
    public void cancelTimeout() {
        ScheduledFuture<?> task = timeoutTask;
        if (task != null) {
            timeoutTask = null;
            task.cancel(false);
        }
    }

    @Override
    public String taskId() {
        return id();
    }

    @Override
    public boolean isStopRequested() {
        return stopRequested;
    }

    /** Asks the task to stop: {@code TaskContext.isCancelled()} becomes true. */
    public void requestStop() {
        stopRequested = true;
    }

    /**
     * Returns whether the task was asked to stop.
     *
     * @return whether the task was asked to stop
     */
    public boolean stopRequested() {
        return stopRequested;
    }

    /**
     * Completes the handle with an output, after every event sent before it.
     *
     * @param value the output
     * @param nanos when the task returned, by {@link System#nanoTime()}
     */
    @SuppressWarnings("unchecked")
    public void succeed(Object value, long nanos) {
        Events sent = events;
        if (sent == null) {
            finish((O) value, null, nanos);    // no event was ever sent: nothing to wait behind
        } else {
            sent.delivery.execute(() -> finish((O) value, null, nanos));
        }
    }

    /**
     * Completes the handle with a failure, after every event sent before it. To fail a running
     * task and stop it, call this before {@link #requestStop()}: the failure is then queued ahead
     * of whatever the task returns when it sees the request.
     *
     * @param failure the failure
     */
    public void fail(Throwable failure) {
        fail(failure, System.nanoTime());
    }

    /**
     * Completes the handle with a failure, after every event sent before it; see {@link #fail(Throwable)}.
     *
     * @param failure the failure
     * @param nanos when the task failed, by {@link System#nanoTime()}
     */
    public void fail(Throwable failure, long nanos) {
        Events sent = events;
        if (sent == null) {
            finish(null, failure, nanos);
        } else {
            sent.delivery.execute(() -> finish(null, failure, nanos));
        }
    }

    private Events events() {
        Events current = events;
        if (current == null) {
            Events fresh = new Events();
            current = (Events) EVENTS.compareAndExchange(this, null, fresh);
            if (current == null) {
                current = fresh;
            }
        }
        return current;
    }

    /**
     * The one way a handle completes: the first caller wins, the pool's hook sees the outcome
     * before any waiter does, so that {@code stats()} after {@code join()} counts this task.
     */
    private boolean finish(O value, Throwable failure, long nanos) {
        if (!OUTCOME.compareAndSet(this, null, CLAIMED)) {
            awaitFinal();
            return false;
        }
        owner.completing(this, failure, nanos);
        Object done = failure != null ? new Failure(failure) : value == null ? NULL_OUTPUT : value;
        outcome = done;
        // Read after the write above: a waiter publishes its future, then reads the outcome, so
        // either it sees this outcome or this read sees its future.
        CompletableFuture<O> waiting = future;
        if (waiting != null) {
            settle(waiting, done);
        }
        return true;
    }

    /**
     * Waits out a completion that another thread claimed and whose hook still runs (a few counter
     * updates): once a completion that lost returns, the handle is done, as {@code Future.cancel}
     * promises ("after this method returns, subsequent calls to isDone() will always return true").
     */
    private void awaitFinal() {
        for (int spins = 0; outcome == CLAIMED; spins++) {
            if (spins < SPINS_BEFORE_YIELDING) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    private static boolean isFinal(Object outcome) {
        return outcome != null && outcome != CLAIMED;
    }

    /** Completes a future with a final outcome; whoever comes second changes nothing. */
    private void settle(CompletableFuture<O> target, Object done) {
        if (done instanceof Failure failure) {
            target.completeExceptionally(failure.cause());
        } else {
            target.complete(output(done));
        }
    }

    /** The output that a final outcome other than a failure stands for. */
    @SuppressWarnings("unchecked")
    private O output(Object done) {
        return done == NULL_OUTPUT ? null : (O) done;
    }

    /** The future that waiters block on and callbacks attach to, made on first use. */
    private CompletableFuture<O> future() {
        CompletableFuture<O> current = future;
        if (current == null) {
            CompletableFuture<O> fresh = new CompletableFuture<>();
            @SuppressWarnings("unchecked")
            CompletableFuture<O> raced = (CompletableFuture<O>) FUTURE.compareAndExchange(this, null, fresh);
            if (raced != null) {
                return raced;       // its maker looks at the outcome after publishing it
            }
            current = fresh;
            // Read after publishing: a completion that did not see the future has written its outcome.
            Object done = outcome;
            if (isFinal(done)) {
                settle(current, done);
            }
        }
        return current;
    }

    /** Returns the output of a completed handle, or throws as {@link java.util.concurrent.Future#get()} does. */
    private O report(Object done) throws ExecutionException {
        if (done instanceof Failure(Throwable cause)) {
            if (cause instanceof CancellationException cancelled) {
                throw cancelled;
            }
            throw new ExecutionException(cause);
        }
        return output(done);
    }

    /**
     * Delivers a progress report to listeners (or keeps it for the first one).
     *
     * @param fraction from 0 to 1
     * @param message the step
     */
    public void progress(double fraction, String message) {
        if (outcome != null) {
            return;
        }
        Events e = events();
        e.delivery.execute(() -> e.progress.publish(new Progress(fraction, message)));
    }

    /**
     * Delivers a message from the task to listeners (or keeps it for the first one).
     *
     * @param message the message
     */
    public void emit(Object message) {
        if (outcome != null) {
            return;
        }
        Events e = events();
        e.delivery.execute(() -> e.messages.publish(message));
    }

    /**
     * Takes the next message the submitter sent.
     *
     * @param type the expected type
     * @param wait how long to wait
     * @param <T> the type
     * @return the message, or null on timeout
     * @throws InterruptedException if interrupted
     */
    public <T> T receive(Class<T> type, Duration wait) throws InterruptedException {
        Objects.requireNonNull(type, "type");
        Object message = events().inbox.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
        if (message != null && !type.isInstance(message)) {
            throw new ClassCastException("task " + id() + " expected a message of type " + type.getName()
                    + " but the next message is a " + message.getClass().getName());
        }
        return type.cast(message);
    }

    /**
     * Takes, without waiting, every message the submitter sent that the task has not received.
     *
     * @param sink where to put them, in order
     */
    public void drainInbox(Consumer<Object> sink) {
        Events e = events;
        if (e == null) {
            return;
        }
        Object message;
        while ((message = e.inbox.poll()) != null) {
            sink.accept(message);
        }
    }

    /**
     * From now on hands every message the submitter sends to a sink, on the sender's thread,
     * instead of keeping it for {@link #receive}; first hands over, on this thread, those kept so far.
     *
     * @param sink where the messages go, in order
     */
    public void forwardSent(Consumer<Object> sink) {
        Events e = events();
        synchronized (e) {
            Object message;
            while ((message = e.inbox.poll()) != null) {
                sink.accept(message);
            }
            e.forward = sink;
        }
    }

    // ---- TaskHandle ----

    @Override
    public String id() {
        return owner.taskIdPrefix() + "-" + number;
    }

    @Override
    public TaskHandle<O> onProgress(ProgressListener listener) {
        Objects.requireNonNull(listener, "listener");
        Events e = events();
        e.delivery.execute(() -> e.progress.listen(listener));
        return this;
    }

    @Override
    public TaskHandle<O> onMessage(Consumer<Object> listener) {
        Objects.requireNonNull(listener, "listener");
        Events e = events();
        e.delivery.execute(() -> e.messages.listen(listener));
        return this;
    }

    @Override
    public void send(Object message) {
        Objects.requireNonNull(message, "message");
        if (outcome == null) {
            Events e = events();
            Consumer<Object> forward = e.forward;
            if (forward == null) {
                synchronized (e) {
                    forward = e.forward;
                    if (forward == null) {
                        e.inbox.add(message);
                        return;
                    }
                }
            }
            forward.accept(message);
        }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        // Complete first, then ask the task to stop: a task that sees the request and returns must
        // find its handle already cancelled. (CompletableFuture.cancel would answer true again
        // once cancelled; Future promises true only to the call that cancelled.)
        boolean cancelled = finish(null, new CancellationException("task " + id() + " was cancelled"), System.nanoTime());
        stopRequested = true;
        if (cancelled) {
            owner.cancelled(this, mayInterruptIfRunning);
        }
        return cancelled;
    }

    @Override
    public boolean isCancelled() {
        return outcome instanceof Failure(Throwable cause) && cause instanceof CancellationException;
    }

    @Override
    public boolean isDone() {
        return isFinal(outcome);
    }

    @Override
    public O get() throws InterruptedException, ExecutionException {
        awaitBriefly();
        Object done = outcome;
        return isFinal(done) ? report(done) : future().get();
    }

    /**
     * Gives the processor away a few times while the handle is not complete, before the caller
     * parks: a task that completes meanwhile spares its worker the cost of waking the caller, which
     * on a busy machine is most of what a short task costs.
     */
    private void awaitBriefly() {
        for (int i = 0; i < YIELDS_BEFORE_PARKING && !isDone(); i++) {
            Thread.yield();
        }
    }

    @Override
    public O get(long time, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        Object done = outcome;
        return isFinal(done) ? report(done) : future().get(time, unit);
    }

    @Override
    public O join() {
        try {
            return get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WaitInterruptedException("interrupted while waiting for task " + id(), e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new CompletionException(cause);
        }
    }

    @Override
    public CompletableFuture<O> toCompletableFuture() {
        CompletableFuture<O> copy = new CompletableFuture<>();
        future().whenComplete((value, failure) -> {
            if (failure == null) {
                copy.complete(value);
            } else if (failure instanceof CancellationException) {
                copy.cancel(false);
            } else {
                copy.completeExceptionally(failure);
            }
        });
        copy.whenComplete((value, failure) -> {
            if (copy.isCancelled()) {
                cancel(true);
            }
        });
        return copy;
    }

    @Override
    public String toString() {
        return "TaskHandle[" + id() + ", " + taskClass.getName() + ", " + state() + "]";
    }
}
