package dev.parx.engine;

import dev.parx.PoolBuilder;
import dev.parx.Task;
import dev.parx.TaskContext;
import dev.parx.TaskFailedException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pool whose workers behave as remote ones do: each runs its executions on threads of its own,
 * not on its engine thread, reports their ends from there, stops them in place, and can die of a
 * task ({@link CrashWorkerTask}), which fails what it held. It exercises every part of the SPI
 * that a child-JVM or cluster pool uses, inside one JVM.
 */
public final class ElsewherePool extends EnginePool {

    /** Thrown by a task to kill the worker running it. */
    static final class WorkerKill extends Error {
        private static final long serialVersionUID = 1L;

        WorkerKill() {
            super("the task killed its worker");
        }
    }

    /** A task that kills its worker. */
    public static final class CrashWorkerTask implements Task<String, String> {
        @Override
        public String run(String input, TaskContext context) {
            throw new WorkerKill();
        }
    }

    private ElsewherePool(PoolEngine engine) {
        super(engine);
    }

    static Builder builder() {
        return new Builder(1);
    }

    static Builder builder(int tasksPerWorker) {
        return new Builder(tasksPerWorker);
    }

    static final class Builder extends PoolBuilder<Builder, ElsewherePool> {
        private final int tasksPerWorker;

        private Builder(int tasksPerWorker) {
            this.tasksPerWorker = tasksPerWorker;
        }

        @Override
        public ElsewherePool build() {
            int capacity = tasksPerWorker;
            return new ElsewherePool(new PoolEngine(settings(), new WorkerFactory() {
                @Override
                public Worker start(WorkerContext context) {
                    return new ElsewhereWorker(context, capacity);
                }

                @Override
                public int workerCapacity() {
                    return capacity;
                }
            }));
        }
    }

    /** Runs executions on a private executor whose threads are named after the worker. */
    static final class ElsewhereWorker implements Worker {
        private static final Duration STOP_GRACE = Duration.ofMillis(500);
        private final WorkerContext context;
        private final ExecutorService threads;
        private final Map<Execution, Running> running = new ConcurrentHashMap<>();
        private final List<Thread> started = new CopyOnWriteArrayList<>();

        private record Running(Future<?> future, CountDownLatch ended) {
        }

        ElsewhereWorker(WorkerContext context, int capacity) {
            this.context = context;
            AtomicInteger n = new AtomicInteger();
            this.threads = Executors.newFixedThreadPool(capacity, r -> {
                Thread thread = Thread.ofPlatform().name(context.workerId() + "-run" + n.incrementAndGet()).unstarted(r);
                started.add(thread);
                return thread;
            });
        }

        @Override
        public boolean stopsInPlace() {
            return true;
        }

        @Override
        public void execute(Execution execution) {
            CountDownLatch ended = new CountDownLatch(1);
            running.put(execution, new Running(threads.submit(() -> run(execution, ended)), ended));
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private void run(Execution execution, CountDownLatch ended) {
            try {
                Task task = TaskClasses.instantiate((Class) execution.taskClass());
                Object output = task.run(execution.input(), new RelayContext(context, execution));
                context.succeeded(execution, output);
            } catch (WorkerKill kill) {
                context.died("killed by task " + execution.taskId(), 137, List.of("last words"));
                threads.shutdownNow();
            } catch (Throwable failure) {
                context.failed(execution, new TaskFailedException(execution.taskId(),
                        execution.taskClass().getName(), failure));
            } finally {
                running.remove(execution);
                ended.countDown();
            }
        }

        /** Stops an execution as a child JVM is stopped: a cancel, then, after a grace, the kill. */
        @Override
        public void stop(Execution execution, boolean interrupt) {
            Running run = running.get(execution);
            if (run == null) {
                return;
            }
            run.future().cancel(interrupt);
            Thread.ofVirtual().start(() -> {
                try {
                    if (!run.ended().await(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                        context.died("task " + execution.taskId() + " ignored its stop for " + STOP_GRACE, null,
                                List.of());
                        threads.shutdownNow();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }

        @Override
        public void close() {
            threads.shutdownNow();
            try {
                // An executor counts as terminated a moment before its threads end: join them.
                for (Thread thread : started) {
                    if (!thread.join(Duration.ofSeconds(30))) {
                        throw new IllegalStateException(thread.getName() + " did not stop");
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A task's context that reaches its handle only through the worker's context, as a remote one would. */
    private record RelayContext(WorkerContext worker, Execution execution) implements TaskContext {
        @Override
        public String taskId() {
            return execution.taskId();
        }

        @Override
        public String workerId() {
            return worker.workerId();
        }

        @Override
        public boolean isCancelled() {
            return execution.isStopRequested();
        }

        @Override
        public void checkCancelled() {
            if (isCancelled()) {
                throw new CancellationException("task " + taskId() + " was cancelled");
            }
        }

        @Override
        public void progress(double fraction, String message) {
            worker.progress(execution, fraction, message);
        }

        @Override
        public void emit(Object message) {
            worker.emitted(execution, message);
        }

        @Override
        public <T> T receive(Class<T> type, Duration timeout) throws InterruptedException {
            return type.cast(worker.nextMessage(execution, timeout));
        }
    }
}
