package dev.parx.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.cluster.Address;
import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import dev.parx.TaskFailedException;
import dev.parx.TaskHandle;
import dev.parx.TaskOptions;
import dev.parx.WorkerCrashedException;
import dev.parx.hazelcast.internal.MemberTask;
import dev.parx.testkit.tasks.EchoTask;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What is particular to a cluster, with the pool submitting through one of three embedded members. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HazelcastPoolTest {

    private static TestCluster cluster;
    private static HazelcastInstance submitter;
    private final List<HazelcastPool> pools = new ArrayList<>();

    @BeforeAll
    static void startCluster() {
        cluster = new TestCluster(3);
        submitter = cluster.startMembers().getFirst();
        awaitMembers(3);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterEach
    void closePools() throws InterruptedException {
        for (HazelcastPool pool : pools) {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(Duration.ofSeconds(30)), "pool did not terminate: " + pool);
        }
        if (cluster.members().size() < 3) {
            for (int port : cluster.ports) {
                if (cluster.members().stream().noneMatch(m -> port(m) == port)) {
                    cluster.member(port);
                }
            }
            awaitMembers(3);
        }
    }

    private static void awaitMembers(int count) {
        Awaitility.await(count + " members").atMost(Duration.ofSeconds(60))
                .until(() -> submitter.getCluster().getMembers().size() == count);
    }

    private HazelcastPool pool(int workers) {
        HazelcastPool pool = HazelcastPool.builder().instance(submitter).name("hz" + pools.size()).workers(workers).build();
        pools.add(pool);
        return pool;
    }

    private static int port(HazelcastInstance member) {
        return member.getCluster().getLocalMember().getAddress().getPort();
    }

    private static String hostPort(HazelcastInstance member) {
        Address address = member.getCluster().getLocalMember().getAddress();
        return address.getHost() + ":" + address.getPort();
    }

    @Test
    void genericRecordTypesTravelBothWays() {
        HazelcastPool pool = pool(2);
        Map<String, PointsTask.Point> named = pool.submit(PointsTask.class,
                List.of(new PointsTask.Point(1, 2), new PointsTask.Point(3, 4))).join();
        assertEquals(Map.of("p0", new PointsTask.Point(2, 4), "p1", new PointsTask.Point(6, 8)), named);
        assertInstanceOf(PointsTask.Point.class, named.get("p0"));
    }

    @Test
    void aPoolThatStopsNowLeavesTheClusterWithoutAnyoneAwaitingIt() {
        HazelcastPool pool = HazelcastPool.builder().instance(submitter).name("leaves").workers(1).build();
        pools.add(pool);
        assertEquals("x", pool.submit(EchoTask.class, "x").join());
        assertTrue(hasEventsTopic("leaves"), "the pool subscribed to its topic");
        pool.shutdownNow();
        Awaitility.await("the topic destroyed").atMost(Duration.ofSeconds(30))
                .until(() -> !hasEventsTopic("leaves"));
        assertTrue(pool.isTerminated());
    }

    private static boolean hasEventsTopic(String poolName) {
        return submitter.getDistributedObjects().stream()
                .anyMatch(object -> object.getName().startsWith("parx.events." + poolName + "."));
    }

    @Test
    void tasksSpreadOverTheMembersAndAreCountedPerMember() {
        HazelcastPool pool = pool(3);
        List<TaskHandle<String>> handles = IntStream.range(0, 3).mapToObj(i -> pool.submit(WhereTask.class, 300L)).toList();
        List<String> where = handles.stream().map(TaskHandle::join).sorted().toList();
        List<String> members = cluster.members().stream().map(HazelcastPoolTest::hostPort).sorted().toList();
        assertEquals(members, where, "three tasks at once run on three members");
        IntStream.range(0, 30).mapToObj(i -> pool.submit(EchoTask.class, "x" + i)).toList().forEach(TaskHandle::join);
        Map<String, Long> perMember = pool.tasksPerMember();
        assertEquals(members, List.copyOf(perMember.keySet()));
        assertEquals(33, perMember.values().stream().mapToLong(Long::longValue).sum());
        assertEquals(33, pool.stats().completed());
    }

    @Test
    void aMemberThatDiesFailsItsTaskNamingItAndARetriedTaskRunsElsewhere() {
        HazelcastPool pool = pool(3);
        List<List<Object>> messages = IntStream.range(0, 3).mapToObj(i -> (List<Object>) new CopyOnWriteArrayList<>())
                .toList();
        List<TaskHandle<String>> plain = IntStream.range(0, 3)
                .mapToObj(i -> pool.submit(WhereTask.class, 60_000L).onMessage(messages.get(i)::add)).toList();
        Awaitility.await("three tasks started").atMost(Duration.ofSeconds(30))
                .until(() -> messages.stream().noneMatch(List::isEmpty));
        HazelcastInstance leaving = cluster.members().get(1);
        String gone = hostPort(leaving);
        int onLeaving = IntStream.range(0, 3).filter(i -> messages.get(i).contains("started on " + gone)).findFirst()
                .orElseThrow(() -> new AssertionError("no task started on " + gone + ": " + messages));
        TaskHandle<String> lost = plain.get(onLeaving);
        leaving.getLifecycleService().terminate();
        WorkerCrashedException crash = assertThrows(WorkerCrashedException.class, lost::join);
        assertTrue(crash.getMessage().contains(gone), crash.getMessage());
        assertEquals(lost.id(), crash.taskId());
        for (TaskHandle<String> other : plain) {
            if (other != lost) {
                assertFalse(other.isDone(), "a task on another member ended");
                other.cancel(true);
            }
        }
        TaskHandle<String> retried = pool.submit(WhereTask.class, 10L, TaskOptions.builder().retryOnCrash(1).build());
        assertFalse(gone.equals(retried.join()), "ran on the member that left");
    }

    @Test
    void aMemberRefusesAClassThatIsNotATaskWithoutInitializingIt() throws Exception {
        for (String name : List.of("java.lang.Runtime", "java.lang.ProcessBuilder", "com.sun.rowset.JdbcRowSetImpl")) {
            byte[] result = submitter.getExecutorService("parx").submitToMember(
                    new MemberTask("refusals", "k", "t-1", "w", name, "null".getBytes(StandardCharsets.UTF_8)),
                    cluster.members().get(2).getCluster().getLocalMember()).get(30, TimeUnit.SECONDS);
            String json = new String(result, StandardCharsets.UTF_8);
            assertTrue(json.contains("refused task class " + name) && json.contains("does not implement"), json);
        }
    }

    /** Cannot be written as JSON: its getter throws. */
    public static final class Unwritable {
        /**
         * Throws.
         *
         * @return never
         */
        public String getValue() {
            throw new IllegalStateException("no value");
        }
    }

    @Test
    void anInputThatCannotBeWrittenAsJsonFailsItsTask() {
        HazelcastPool pool = pool(1);
        TaskFailedException failure = assertThrows(TaskFailedException.class,
                pool.submit(ObjectTask.class, new Unwritable())::join);
        assertTrue(failure.getMessage().contains("cannot be sent"), failure.getMessage());
        assertEquals("after", pool.submit(EchoTask.class, "after").join());
    }

    @Test
    void buildingWithoutAnInstanceSaysWhatIsMissing() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> HazelcastPool.builder().workers(1).build());
        assertTrue(e.getMessage().contains("instance("), e.getMessage());
        assertThrows(IllegalStateException.class, () -> HazelcastPool.builder().executor("a").executor("b"));
    }

    @Test
    void parxMemberOptionsOverrideTheConfiguration() throws Exception {
        Config config = ParxMember.config("--cluster-name", "c1", "--port", "5799", "--member", "10.0.0.1",
                "--member", "10.0.0.2:5701", "--interface", "10.0.0.3", "--executor-threads", "4");
        assertEquals("c1", config.getClusterName());
        assertEquals(5799, config.getNetworkConfig().getPort());
        assertFalse(config.getNetworkConfig().isPortAutoIncrement());
        assertFalse(config.getNetworkConfig().getJoin().getMulticastConfig().isEnabled());
        assertEquals(List.of("10.0.0.1", "10.0.0.2:5701"), config.getNetworkConfig().getJoin().getTcpIpConfig().getMembers());
        assertEquals(4, config.getExecutorConfig("parx").getPoolSize());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> ParxMember.config("--nope", "x"));
        assertTrue(unknown.getMessage().contains("--nope"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ParxMember.config("--port", "high"));
        assertThrows(IllegalArgumentException.class, () -> ParxMember.config("--port"));
    }
}
