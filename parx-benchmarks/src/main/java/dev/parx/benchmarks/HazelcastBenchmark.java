package dev.parx.benchmarks;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import dev.parx.FullQueuePolicy;
import dev.parx.TaskHandle;
import dev.parx.hazelcast.HazelcastPool;
import java.io.Serial;
import java.io.Serializable;
import java.util.List;
import java.util.UUID;
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
 * A no-op task on two embedded members on loopback, submitted through the first: parx's
 * HazelcastPool (class name and JSON input, events topic, slots) beside Hazelcast's own
 * {@code IExecutorService.submit} of a serializable callable. The round trip submits one task and
 * waits for it; throughput submits a batch, then waits for all of it (parx with 32 slots).
 */
@State(Scope.Benchmark)
public class HazelcastBenchmark {

    private static final int BATCH = 1000;
    private static final int PORT = 5901;

    /** parx's HazelcastPool, or Hazelcast's executor alone. */
    @Param({"parx", "hazelcast-executor"})
    public String impl;

    private List<HazelcastInstance> members;
    private HazelcastPool pool;
    private IExecutorService executor;
    private final Object[] futures = new Object[BATCH];
    private int next;

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

    /** Starts the members and the pool. */
    @Setup(Level.Trial)
    public void start() {
        String cluster = "parx-bench-" + UUID.randomUUID();
        members = List.of(member(cluster, PORT), member(cluster, PORT + 1));
        HazelcastInstance submitter = members.getFirst();
        pool = HazelcastPool.builder().instance(submitter).name("bench").workers(32)
                .maxQueue(BATCH * 2).onFullQueue(FullQueuePolicy.BLOCK).build();
        executor = submitter.getExecutorService("parx");
    }

    private static HazelcastInstance member(String cluster, int port) {
        Config config = new Config().setClusterName(cluster);
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        config.setProperty("hazelcast.logging.type", "slf4j");
        NetworkConfig network = config.getNetworkConfig().setPort(port).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(List.of("127.0.0.1:" + PORT, "127.0.0.1:" + (PORT + 1)));
        return Hazelcast.newHazelcastInstance(config);
    }

    /**
     * Stops the pool and the members.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        pool.close();
        for (HazelcastInstance member : members) {
            member.getLifecycleService().terminate();
        }
    }

    /**
     * One task, submitted and awaited.
     *
     * @return its result
     * @throws Exception if it failed
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Object clusterRoundTrip() throws Exception {
        int input = next++;
        if (impl.equals("parx")) {
            return pool.submit(PoolBenchmark.NoOp.class, input).join();
        }
        return executor.submit(new NoOpCallable(input)).get();
    }

    /**
     * A batch of tasks, submitted, then awaited.
     *
     * @return the last result
     * @throws Exception if a task failed
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @OperationsPerInvocation(BATCH)
    @SuppressWarnings("unchecked")
    public Object clusterThroughput() throws Exception {
        boolean parx = impl.equals("parx");
        for (int i = 0; i < BATCH; i++) {
            futures[i] = parx ? pool.submit(PoolBenchmark.NoOp.class, i) : executor.submit(new NoOpCallable(i));
        }
        Object last = null;
        for (int i = 0; i < BATCH; i++) {
            last = parx ? ((TaskHandle<Integer>) futures[i]).join() : ((Future<Integer>) futures[i]).get();
        }
        return last;
    }
}
