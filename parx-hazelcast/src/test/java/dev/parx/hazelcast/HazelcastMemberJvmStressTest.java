package dev.parx.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.hazelcast.core.HazelcastInstance;
import dev.parx.TaskHandle;
import dev.parx.TaskOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Three member JVMs, two of them killed in turn under a stream of retried tasks: every task succeeds. */
@Tag("stress")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class HazelcastMemberJvmStressTest {

    @Test
    void killingMembersOneAfterAnotherLosesNoRetriedTask() throws Exception {
        List<Process> started;
        try (TestCluster cluster = new TestCluster(3); MemberJvms jvms = new MemberJvms(cluster)) {
            for (int port : cluster.ports) {
                jvms.start(port);
            }
            started = jvms.processes();
            HazelcastInstance client = cluster.client();
            Awaitility.await("three member JVMs, the client connected to each").atMost(MemberJvms.JOIN_BOUND)
                    .until(() -> TestCluster.connectedToAll(client, 3));
            try (HazelcastPool pool = HazelcastPool.builder().instance(client).name("stress").workers(12).build()) {
                TaskOptions retry = TaskOptions.builder().retryOnCrash(3).build();
                List<TaskHandle<String>> handles = IntStream.range(0, 600)
                        .mapToObj(i -> pool.submit(WhereTask.class, 50L, retry)).toList();
                Awaitility.await("100 tasks done").atMost(MemberJvms.JOIN_BOUND)
                        .until(() -> pool.stats().completed() >= 100);
                MemberJvms.kill(started.get(1));
                Awaitility.await("300 tasks done").atMost(MemberJvms.JOIN_BOUND)
                        .until(() -> pool.stats().completed() >= 300);
                MemberJvms.kill(started.get(2));
                String survivor = "127.0.0.1:" + cluster.ports.get(0);
                long onSurvivor = handles.stream().map(TaskHandle::join).filter(survivor::equals).count();
                assertEquals(600, pool.stats().completed(), pool.stats().toString());
                assertFalse(onSurvivor == 600, "the tasks were spread before the kills");
            }
        }
        for (Process process : started) {
            assertFalse(process.isAlive(), "member JVM " + process.pid() + " was left behind");
        }
    }
}
