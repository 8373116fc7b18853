package dev.parx.internal;

import dev.parx.ProgressListener;
import dev.parx.Task;
import dev.parx.TaskHandle;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
         */
        void completing(TaskRun<?> run, Throwable failure);
    }

    private static final int QUEUED = 0;
    private static final int RUNNING = 1;
    private static final int DONE = 2;

    private final String id;
    private final Class<? extends Task<?, O>> taskClass;
    private final Object input;
    private final Duration timeout;
    private final CancelHook cancelHook;
    private final CompletionHook completionHook;
    private final AtomicBoolean completing = new AtomicBoolean();
    private final long submittedNanos = System.nanoTime();
    private final AtomicInteger state = new AtomicInteger(QUEUED);
    private final CompletableFuture<O> future = new CompletableFuture<>();
    private final SerialExecutor delivery = new SerialExecutor();
    private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();

    // Guarded by running inside `delivery`.
    private final List<ProgressListener> progressListeners = new ArrayList<>();
    private final List<Consumer<Object>> messageListeners = new ArrayList<>();
    private List<Runnable> unheardProgress = new ArrayList<>();
    private List<Object> unheardMessages = new ArrayList<>();

    private volatile long startedNanos;
    private volatile boolean stopRequested;
    private Thread runner;      // guarded by this
    private Object worker;      // guarded by this

    /**
     * Creates a queued task.
     *
     * @param id the task id
     * @param taskClass the task class
     * @param input the input as submitted
     * @param timeout the run-time limit, or null
     * @param cancelHook the pool's reaction to a user's cancel
     * @param completionHook what the pool records when the handle completes
     */
    public TaskRun(String id, Class<? extends Task<?, O>> taskClass, Object input, Duration timeout,
            CancelHook cancelHook, CompletionHook completionHook) {
        this.id = id;
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

    boolean markStarted() {
        if (state.compareAndSet(QUEUED, RUNNING)) {
            startedNanos = System.nanoTime();
            return true;
        }
        return false;
    }

    boolean markDone() {
        return state.getAndSet(DONE) == RUNNING;
    }

    /**
     * Records which thread and worker run this task, so that a cancel can interrupt it.
     *
     * @param thread the running thread, or null when the run is over
     * @param owner the pool's worker object, or null when the run is over
     */
    public synchronized void attach(Thread thread, Object owner) {
        this.runner = thread;
        this.worker = owner;
    }

    /**
     * Returns the pool's worker object running this task, or null.
     *
     * @return the pool's worker object running this task, or null
     */
    public synchronized Object worker() {
        return worker;
    }

    /** Interrupts the running thread, if the task is still attached to one. */
    public synchronized void interruptRunner() {
        if (runner != null) {
            runner.interrupt();
        }
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
     */
    @SuppressWarnings("unchecked")
    public void succeed(Object value) {
        delivery.execute(() -> finish((O) value, null));
    }

    /**
     * Completes the handle with a failure, after every event sent before it. To fail a running
     * task and stop it, call this before {@link #requestStop()}: the failure is then queued ahead
     * of whatever the task returns when it sees the request.
     *
     * @param failure the failure
     */
    public void fail(Throwable failure) {
        delivery.execute(() -> finish(null, failure));
    }

    /**
     * The one way a handle completes: the first caller wins, the pool's hook sees the outcome
     * before any waiter does, so that {@code stats()} after {@code join()} counts this task.
     */
    private boolean finish(O value, Throwable failure) {
        if (!completing.compareAndSet(false, true)) {
            return false;
        }
        completionHook.completing(this, failure);
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
        if (completing.get()) {
            return;
        }
        delivery.execute(() -> {
            if (progressListeners.isEmpty()) {
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
        if (completing.get()) {
            return;
        }
        delivery.execute(() -> {
            if (messageListeners.isEmpty()) {
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
        Object message = inbox.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
        if (message != null && !type.isInstance(message)) {
            throw new ClassCastException("task " + id + " expected a message of type " + type.getName()
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
        Object message;
        while ((message = inbox.poll()) != null) {
            sink.accept(message);
        }
    }

    // ---- TaskHandle ----

    @Override
    public String id() {
        return id;
    }

    @Override
    public TaskHandle<O> onProgress(ProgressListener listener) {
        Objects.requireNonNull(listener, "listener");
        delivery.execute(() -> {
            progressListeners.add(listener);
            if (unheardProgress != null) {
                List<Runnable> replay = unheardProgress;
                unheardProgress = null;
                replay.forEach(Runnable::run);
            }
        });
        return this;
    }

    @Override
    public TaskHandle<O> onMessage(Consumer<Object> listener) {
        Objects.requireNonNull(listener, "listener");
        delivery.execute(() -> {
            messageListeners.add(listener);
            if (unheardMessages != null) {
                List<Object> replay = unheardMessages;
                unheardMessages = null;
                replay.forEach(listener);
            }
        });
        return this;
    }

    @Override
    public void send(Object message) {
        Objects.requireNonNull(message, "message");
        if (!completing.get()) {
            inbox.add(message);
        }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        // Complete first, then ask the task to stop: a task that sees the request and returns must
        // find its handle already cancelled. (CompletableFuture.cancel would answer true again
        // once cancelled; Future promises true only to the call that cancelled.)
        boolean cancelled = finish(null, new CancellationException("task " + id + " was cancelled"));
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
            throw new CompletionException("interrupted while waiting for task " + id, e);
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
        return "TaskHandle[" + id + ", " + taskClass.getName() + ", " + future.state() + "]";
    }
}
