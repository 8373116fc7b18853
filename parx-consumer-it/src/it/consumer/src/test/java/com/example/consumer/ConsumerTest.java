package com.example.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.parx.Pool;
import dev.parx.Task;
import dev.parx.TaskHandle;
import dev.parx.hazelcast.HazelcastPool;
import dev.parx.ipc.JvmPool;
import dev.parx.process.CommandPool;
import dev.parx.threads.ThreadPool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The application's tasks on each kind of pool. The build runs this class twice: on the class
 * path and on the module path ({@code consumer.path} says which), and each run checks that it
 * really is where it was meant to be.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConsumerTest {

    private static final String PATH = System.getProperty("consumer.path");
    private static final boolean MODULE_PATH = "module".equals(PATH);
    private static final long PID = ProcessHandle.current().pid();

    /** 0² + 1² + ... + 999², four ranges of 250. */
    private static final List<Range> RANGES = List.of(new Range(0, 250), new Range(250, 500),
            new Range(500, 750), new Range(750, 1_000));
    private static final long SQUARES = 999L * 1_000 * 1_999 / 6;

    @Test
    void runsOnThePathItWasGiven() {
        assertNotNull(PATH, "the build sets consumer.path to class or module");
        assertEquals(MODULE_PATH ? "com.example.consumer" : null, SumOfSquares.class.getModule().getName());
        for (Class<?> parx : List.of(Task.class, ThreadPool.class, CommandPool.class, JvmPool.class, HazelcastPool.class)) {
            assertEquals(MODULE_PATH, parx.getModule().isNamed(), parx + " is in " + parx.getModule());
        }
        assertEquals(MODULE_PATH, Hazelcast.class.getModule().isNamed(), "Hazelcast is in " + Hazelcast.class.getModule());
        // --enable-native-access=dev.parx.process (module path) or =ALL-UNNAMED (class path) took:
        // parx starts commands through posix_spawn.
        assertTrue(CommandPool.class.getModule().isNativeAccessEnabled(), "native access for " + CommandPool.class.getModule());
    }

    @Test
    void threadPool() {
        try (ThreadPool pool = ThreadPool.builder().name("consumer-threads").workers(2).build()) {
            assertEquals(SQUARES, sumOfSquares(pool));
            Place place = pool.submit(Where.class, "here").join();
            assertEquals(new Place(PID, moduleHere(), place.worker()), place);
        }
    }

    @Test
    void commandPool() {
        try (CommandPool pool = CommandPool.builder().name("consumer-commands").workers(2).build()) {
            List<TaskHandle<Integer>> counts = List.of(
                    pool.submit(WordCount.class, "the quick brown fox"),
                    pool.submit(WordCount.class, "jumps over\nthe lazy dog"));
            assertEquals(List.of(4, 5), counts.stream().map(TaskHandle::join).toList());
        }
    }

    @Test
    void jvmPool() {
        try (JvmPool pool = JvmPool.builder().name("consumer-jvms").workers(2).jvmOptions("-Xmx64m").build()) {
            assertEquals(SQUARES, sumOfSquares(pool));
            Place place = pool.submit(Where.class, "there").join();
            assertNotEquals(PID, place.pid(), "the task ran in a child JVM");
            // Children get this JVM's class path, or its module path: the task runs in the same module.
            assertEquals(moduleHere(), place.module());
        }
    }

    @Test
    void hazelcastPool() {
        HazelcastInstance member = Hazelcast.newHazelcastInstance(offlineMember());
        try (HazelcastPool pool = HazelcastPool.builder().instance(member).name("consumer-cluster").workers(2).build()) {
            assertEquals(SQUARES, sumOfSquares(pool));
            Place place = pool.submit(Where.class, "member").join();
            assertEquals(new Place(PID, moduleHere(), place.worker()), place, "the one member is this JVM");
            assertEquals(RANGES.size() + 1, pool.tasksPerMember().values().stream().mapToLong(Long::longValue).sum());
        } finally {
            member.shutdown();
        }
    }

    /** No command or child JVM outlives its pool (parx-process's guardian aside, which ends with this JVM). */
    @AfterAll
    static void leftNothingRunning() {
        Awaitility.await("the pools' processes to end").atMost(Duration.ofSeconds(15)).until(() ->
                ProcessHandle.current().descendants()
                        .filter(ProcessHandle::isAlive)
                        .noneMatch(p -> !p.info().commandLine().orElse("").contains("GuardianMain")));
    }

    private static long sumOfSquares(Pool pool) {
        List<TaskHandle<Long>> parts = RANGES.stream().map(range -> pool.submit(SumOfSquares.class, range)).toList();
        long sum = parts.stream().mapToLong(TaskHandle::join).sum();
        assertEquals(LongStream.range(0, 1_000).map(n -> n * n).sum(), sum);
        return sum;
    }

    private static String moduleHere() {
        return MODULE_PATH ? "com.example.consumer" : null;
    }

    /** One member that joins nobody: its own cluster name, no multicast or discovery, loopback only. */
    private static Config offlineMember() {
        Config config = new Config();
        String name = "parx-consumer-" + UUID.randomUUID();
        config.setClusterName(name);
        config.setInstanceName(name);
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        config.setProperty("hazelcast.logging.type", "slf4j");
        NetworkConfig network = config.getNetworkConfig();
        int port = freePort();
        network.setPort(port).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(List.of("127.0.0.1:" + port));
        return config;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
