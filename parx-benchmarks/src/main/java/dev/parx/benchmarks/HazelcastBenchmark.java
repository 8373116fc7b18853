package dev.parx.benchmarks;

import com.hazelcast.core.IExecutorService;
import dev.parx.FullQueuePolicy;
import dev.parx.TaskHandle;
import dev.parx.hazelcast.HazelcastPool;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
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
 * Two Hazelcast members, each in a JVM of its own ({@link MemberJvms}), on loopback, and a client
 * of them in the benchmark's JVM through which every task is submitted, so that every task crosses
 * a socket.
 *
 * <ul>
 *   <li>{@code clusterRoundTrip}: one no-op task submitted and awaited, through parx's
 *       {@link HazelcastPool} (class name and JSON input, slots, the result back to the engine) or
 *       through Hazelcast's own {@code IExecutorService.submit} of a serializable callable.</li>
 *   <li>{@code clusterThroughput}: a batch of 1,000 no-op tasks submitted, then awaited (parx with
 *       32 slots and a blocking queue, Hazelcast with no bound at all).</li>
 *   <li>{@code clusterPrimes}: the primes below 20,000,000 in 16 ranges, on this thread one after
 *       another, or as 16 tasks through a HazelcastPool of 4 slots over the two members, each with
 *       2 executor threads. 16 rather than {@link PrimesBenchmark}'s 64 ranges: a range then takes
 *       some milliseconds, well above a round trip.</li>
 * </ul>
 */
public class HazelcastBenchmark {

    private static final int BATCH = 1000;
    private static final int PRIME_RANGES = 16;

    /** Hazelcast's own: a serializable callable that returns its input. */
    public static final class NoOpCallable implements Callable<Integer>, Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
        private final int input;

        NoOpCallable(int input) {
            this.input = input;
        }

        @Override
        public Integer call() {
            return input;
        }
    }

    /** The no-op benchmarks' cluster, with a parx pool and Hazelcast's executor over it. */
    @State(Scope.Benchmark)
    public static class Dispatch {
        /** parx's HazelcastPool, or Hazelcast's executor alone. */
        @Param({"parx", "hazelcast-executor"})
        public String impl;

        private MemberJvms cluster;
        private HazelcastPool pool;
        private IExecutorService executor;
        private final Object[] futures = new Object[BATCH];
        private int next;

        /** Starts the members, the client and the pool. */
        @Setup(Level.Trial)
        public void start() {
            cluster = new MemberJvms(2, 16);    // Hazelcast's default executor threads
            pool = HazelcastPool.builder().instance(cluster.client).name("bench").workers(32)
                    .maxQueue(BATCH * 2).onFullQueue(FullQueuePolicy.BLOCK).build();
            executor = cluster.client.getExecutorService("parx");
        }

        /** Stops the pool, the client and the member JVMs. */
        @TearDown(Level.Trial)
        public void stop() {
            try {
                pool.close();
            } finally {
                cluster.close();
            }
        }
    }

    /** The primes benchmark's cluster and pool. */
    @State(Scope.Benchmark)
    public static class Primes {
        private MemberJvms cluster;
        private HazelcastPool pool;

        /** Starts the members, the client and the pool. */
        @Setup(Level.Trial)
        public void start() {
            cluster = new MemberJvms(2, 2);
            pool = HazelcastPool.builder().instance(cluster.client).name("primes").workers(4).build();
        }

        /** Stops the pool, the client and the member JVMs. */
        @TearDown(Level.Trial)
        public void stop() {
            try {
                pool.close();
            } finally {
                cluster.close();
            }
        }
    }

    /**
     * One task, submitted and awaited.
     *
     * @param state the cluster
     * @return its result
     * @throws Exception if it failed
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Object clusterRoundTrip(Dispatch state) throws Exception {
        int input = state.next++;
        if (state.impl.equals("parx")) {
            return state.pool.submit(PoolBenchmark.NoOp.class, input).join();
        }
        return state.executor.submit(new NoOpCallable(input)).get();
    }

    /**
     * A batch of tasks, submitted, then awaited.
     *
     * @param state the cluster
     * @return the last result
     * @throws Exception if a task failed
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @OperationsPerInvocation(BATCH)
    @SuppressWarnings("unchecked")
    public Object clusterThroughput(Dispatch state) throws Exception {
        boolean parx = state.impl.equals("parx");
        Object[] futures = state.futures;
        for (int i = 0; i < BATCH; i++) {
            futures[i] = parx ? state.pool.submit(PoolBenchmark.NoOp.class, i)
                    : state.executor.submit(new NoOpCallable(i));
        }
        Object last = null;
        for (int i = 0; i < BATCH; i++) {
            last = parx ? ((TaskHandle<Integer>) futures[i]).join() : ((Future<Integer>) futures[i]).get();
        }
        return last;
    }

    /**
     * The ranges one after another on this thread, with no cluster running.
     *
     * @return the count
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public long clusterPrimesOneThread() {
        long total = 0;
        for (int i = 0; i < PRIME_RANGES; i++) {
            int[] range = range(i);
            total += PrimesBenchmark.count(range[0], range[1]);
        }
        return check(total);
    }

    /**
     * The ranges as tasks over the two member JVMs.
     *
     * @param state the cluster
     * @return the count
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public long clusterPrimesTwoMembers(Primes state) {
        List<TaskHandle<Long>> handles = new ArrayList<>(PRIME_RANGES);
        for (int i = 0; i < PRIME_RANGES; i++) {
            handles.add(state.pool.submit(PrimesBenchmark.CountPrimes.class, range(i)));
        }
        long total = 0;
        for (TaskHandle<Long> handle : handles) {
            total += handle.join();
        }
        return check(total);
    }

    private static int[] range(int i) {
        long span = PrimesBenchmark.LIMIT / PRIME_RANGES;
        return new int[] {(int) (i * span), i == PRIME_RANGES - 1 ? PrimesBenchmark.LIMIT : (int) ((i + 1) * span)};
    }

    private static long check(long total) {
        if (total != PrimesBenchmark.PRIMES_BELOW_LIMIT) {
            throw new IllegalStateException("counted " + total + " primes, expected "
                    + PrimesBenchmark.PRIMES_BELOW_LIMIT);
        }
        return total;
    }
}
