package dev.parx.internal;

import dev.parx.ProgressListener;
import dev.parx.Task;
import dev.parx.TaskHandle;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * @param <O> the output type
 */
public final class TaskRun<O> implements TaskHandle<O> {

    /** What a pool does when a handle is cancelled by its user. */
    @FunctionalInterface
    public interface CancelHook {
        /**
         * Called once, after the handle completed as cancelled.
         *
         * @param run the cancelled task
         * @param mayInterrupt whether the user allowed interrupting a running task
         */
        void cancelled(TaskRun<?> run, boolean mayInterrupt);
    }

    /** What a pool records when a handle completes, before anyone waiting on it wakes up. */
    @FunctionalInterface
    public interface CompletionHook {
        /**
         * Called exactly once, before the handle's future completes.
         *
         * @param run the task
         * @param failure what it completes with, or null for an output
         * @param nanos when it completed, by {@link System#nanoTime()}
         */
        void completing(TaskRun<?> run, Throwable failure, long nanos);
    }

    private static final int QUEUED = 0;
    private static final int RUNNING = 1;
    private static final int DONE = 2;

    private static final VarHandle STATE;
    private static final VarHandle COMPLETING;
    private static final VarHandle DELIVERY;
    private static final VarHandle INBOX;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(TaskRun.class, "state", int.class);
            COMPLETING = lookup.findVarHandle(TaskRun.class, "completing", boolean.class);
            DELIVERY = lookup.findVarHandle(TaskRun.class, "delivery", SerialExecutor.class);
            INBOX = lookup.findVarHandle(TaskRun.class, "inbox", BlockingQueue.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String idPrefix;
    private final long idNumber;
    private final Class<? extends Task<?, O>> taskClass;
    private final Object input;
    private final Duration timeout;
    private final CancelHook cancelHook;
    private final CompletionHook completionHook;
    private final long submittedNanos = System.nanoTime();
    private final CompletableFuture<O> future = new CompletableFuture<>();

    private String id;                          // computed on first use; a benign race
    private volatile int state;                 // QUEUED, RUNNING, DONE
    private volatile boolean completing;
    // Created on first use: most tasks send no events and receive no messages.
    private volatile SerialExecutor delivery;
    private volatile BlockingQueue<Object> inbox;

    // Guarded by running inside `delivery`; null until first needed.
    private List<ProgressListener> progressListeners;
    private List<Consumer<Object>> messageListeners;
    private List<Runnable> unheardProgress;
    private List<Object> unheardMessages;
    private boolean progressHeard;
    private boolean messagesHeard;

    private volatile long startedNanos;
    private volatile boolean stopRequested;
    private volatile Object worker;

    /**
     * Creates a queued task.
     *
     * @param idPrefix the task id's prefix: the id is the prefix, a dash, and the number
     * @param idNumber the task id's number
     * @param taskClass the task class
     * @param input the input as submitted
     * @param timeout the run-time limit, or null
     * @param cancelHook the pool's reaction to a user's cancel
     * @param completionHook what the pool records when the handle completes
     */
    public TaskRun(String idPrefix, long idNumber, Class<? extends Task<?, O>> taskClass, Object input,
            Duration timeout, CancelHook cancelHook, CompletionHook completionHook) {
        this.idPrefix = idPrefix;
        this.idNumber = idNumber;
        this.taskClass = taskClass;
        this.input = input;
        this.timeout = timeout;
        this.cancelHook = cancelHook;
        this.completionHook = completionHook;
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
     * Returns the input as submitted.
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

    /**
     * Returns the underlying future, for pools that attach completion callbacks.
     *
     * @return the underlying future, for pools that attach completion callbacks
     */
    public CompletableFuture<O> future() {
        return future;
    }

    long submittedNanos() {
        return submittedNanos;
    }

    long startedNanos() {
        return startedNanos;
    }

    boolean markStarted(long nanos) {
        if (STATE.compareAndSet(this, QUEUED, RUNNING)) {
            startedNanos = Math.max(nanos, submittedNanos);   // a worker's clock reading may predate the submit
            return true;
        }
        return false;
    }

    boolean markDone() {
        return (int) STATE.getAndSet(this, DONE) == RUNNING;
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
        SerialExecutor events = delivery;
        if (events == null) {
            finish((O) value, null, nanos);    // no event was ever sent: nothing to wait behind
        } else {
            events.execute(() -> finish((O) value, null, nanos));
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
        SerialExecutor events = delivery;
        if (events == null) {
            finish(null, failure, nanos);
        } else {
            events.execute(() -> finish(null, failure, nanos));
        }
    }

    private SerialExecutor delivery() {
        SerialExecutor events = delivery;
        if (events == null) {
            SerialExecutor fresh = new SerialExecutor();
            events = (SerialExecutor) DELIVERY.compareAndExchange(this, null, fresh);
            if (events == null) {
                events = fresh;
            }
        }
        return events;
    }

    private BlockingQueue<Object> inbox() {
        BlockingQueue<Object> messages = inbox;
        if (messages == null) {
            BlockingQueue<Object> fresh = new LinkedBlockingQueue<>();
            @SuppressWarnings("unchecked")
            BlockingQueue<Object> won = (BlockingQueue<Object>) INBOX.compareAndExchange(this, null, fresh);
            messages = won == null ? fresh : won;
        }
        return messages;
    }

    /**
     * The one way a handle completes: the first caller wins, the pool's hook sees the outcome
     * before any waiter does, so that {@code stats()} after {@code join()} counts this task.
     */
    private boolean finish(O value, Throwable failure, long nanos) {
        if (!COMPLETING.compareAndSet(this, false, true)) {
            return false;
        }
        completionHook.completing(this, failure, nanos);
        if (failure == null) {
            future.complete(value);
        } else {
            future.completeExceptionally(failure);
        }
        return true;
    }

    /**
     * Delivers a progress report to listeners (or keeps it for the first one).
     *
     * @param fraction from 0 to 1
     * @param message the step
     */
    public void progress(double fraction, String message) {
        if (completing) {
            return;
        }
        delivery().execute(() -> {
            if (progressListeners == null) {
                if (unheardProgress == null) {
                    unheardProgress = new ArrayList<>();
                }
                unheardProgress.add(() -> progressListeners.getFirst().onProgress(fraction, message));
            } else {
                for (ProgressListener listener : progressListeners) {
                    listener.onProgress(fraction, message);
                }
            }
        });
    }

    /**
     * Delivers a message from the task to listeners (or keeps it for the first one).
     *
     * @param message the message
     */
    public void emit(Object message) {
        if (completing) {
            return;
        }
        delivery().execute(() -> {
            if (messageListeners == null) {
                if (unheardMessages == null) {
                    unheardMessages = new ArrayList<>();
                }
                unheardMessages.add(message);
            } else {
                for (Consumer<Object> listener : messageListeners) {
                    listener.accept(message);
                }
            }
        });
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
        Object message = inbox().poll(wait.toNanos(), TimeUnit.NANOSECONDS);
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
        BlockingQueue<Object> messages = inbox;
        if (messages == null) {
            return;
        }
        Object message;
        while ((message = messages.poll()) != null) {
            sink.accept(message);
        }
    }

    // ---- TaskHandle ----

    @Override
    public String id() {
        String value = id;
        if (value == null) {
            value = idPrefix + "-" + idNumber;
            id = value;
        }
        return value;
    }

    @Override
    public TaskHandle<O> onProgress(ProgressListener listener) {
        Objects.requireNonNull(listener, "listener");
        delivery().execute(() -> {
            if (progressListeners == null) {
                progressListeners = new ArrayList<>();
            }
            progressListeners.add(listener);
            if (!progressHeard) {
                progressHeard = true;
                if (unheardProgress != null) {
                    List<Runnable> replay = unheardProgress;
                    unheardProgress = null;
                    replay.forEach(Runnable::run);
                }
            }
        });
        return this;
    }

    @Override
    public TaskHandle<O> onMessage(Consumer<Object> listener) {
        Objects.requireNonNull(listener, "listener");
        delivery().execute(() -> {
            if (messageListeners == null) {
                messageListeners = new ArrayList<>();
            }
            messageListeners.add(listener);
            if (!messagesHeard) {
                messagesHeard = true;
                if (unheardMessages != null) {
                    List<Object> replay = unheardMessages;
                    unheardMessages = null;
                    replay.forEach(listener);
                }
            }
        });
        return this;
    }

    @Override
    public void send(Object message) {
        Objects.requireNonNull(message, "message");
        if (!completing) {
            inbox().add(message);
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
            cancelHook.cancelled(this, mayInterruptIfRunning);
        }
        return cancelled;
    }

    @Override
    public boolean isCancelled() {
        return future.isCancelled();
    }

    @Override
    public boolean isDone() {
        return future.isDone();
    }

    @Override
    public O get() throws InterruptedException, ExecutionException {
        return future.get();
    }

    @Override
    public O get(long time, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        return future.get(time, unit);
    }

    @Override
    public O join() {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException("interrupted while waiting for task " + id(), e);
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
        future.whenComplete((value, failure) -> {
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
        return "TaskHandle[" + id() + ", " + taskClass.getName() + ", " + future.state() + "]";
    }
}
