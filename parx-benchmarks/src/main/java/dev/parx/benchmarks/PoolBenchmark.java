package dev.parx.benchmarks;

import dev.parx.FullQueuePolicy;
import dev.parx.Task;
import dev.parx.TaskContext;
import dev.parx.threads.ThreadPool;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Submit-to-completion of a task that does nothing, on two workers: parx's ThreadPool beside the
 * JDK's ThreadPoolExecutor and ForkJoinPool. Throughput submits a batch, then waits for all of it;
 * latency submits one task and waits for it. {@code parx-jdkqueue} is parx with the JDK's
 * {@code LinkedTransferQueue} as the hand-off between submitters and workers, in place of its own.
 */
@State(Scope.Benchmark)
public class PoolBenchmark {

    private static final int WORKERS = 2;
    private static final int BATCH = 1000;

    /** ThreadPool, ThreadPool over LinkedTransferQueue, ThreadPoolExecutor, ForkJoinPool. */
    @Param({"parx", "parx-jdkqueue", "tpe", "fjp"})
    public String impl;

    private ThreadPool parx;
    private ExecutorService executor;
    private final Future<?>[] futures = new Future<?>[BATCH];

    /** A task that returns its input. */
    public static final class NoOp implements Task<Integer, Integer> {
        /** For the pool's reflection. */
        public NoOp() {
        }

        @Override
        public Integer run(Integer input, TaskContext context) {
            return input;
        }
    }

    /** Starts the pool. */
    @Setup(Level.Trial)
    public void start() {
        switch (impl) {
            case "parx" -> parx = parx("handoff");
            case "parx-jdkqueue" -> parx = parx("jdk");
            case "tpe" -> executor = new ThreadPoolExecutor(WORKERS, WORKERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>());
            case "fjp" -> executor = new ForkJoinPool(WORKERS);
            default -> throw new IllegalArgumentException(impl);
        }
    }

    private static ThreadPool parx(String queue) {
        System.setProperty("parx.engine.queue", queue);
        try {
            return ThreadPool.builder().name("bench").workers(WORKERS)
                    .maxQueue(BATCH * 2).onFullQueue(FullQueuePolicy.BLOCK).build();
        } finally {
            System.clearProperty("parx.engine.queue");
        }
    }

    /**
     * Stops the pool.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        if (parx != null) {
            parx.close();
            parx.awaitTermination(java.time.Duration.ofSeconds(30));
        }
        if (executor != null) {
            executor.shutdown();
            executor.awaitTermination(30, TimeUnit.SECONDS);
        }
    }

    private static final Integer INPUT = 7;

    private Future<?> submit() {
        return parx != null ? parx.submit(NoOp.class, INPUT) : executor.submit(() -> INPUT);
    }

    /**
     * Submits a batch of no-op tasks and waits for all of them.
     *
     * @return the last result
     * @throws Exception if a task failed
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @OperationsPerInvocation(BATCH)
    public Object noOpThroughput() throws Exception {
        for (int i = 0; i < BATCH; i++) {
            futures[i] = submit();
        }
        Object last = null;
        for (Future<?> future : futures) {
            last = future.get();
        }
        return last;
    }

    /**
     * Submits one no-op task and waits for it.
     *
     * @return its result
     * @throws InterruptedException if interrupted
     * @throws ExecutionException if it failed
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Object noOpLatency() throws InterruptedException, ExecutionException {
        return submit().get();
    }
}
