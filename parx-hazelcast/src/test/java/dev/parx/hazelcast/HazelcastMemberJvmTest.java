package dev.parx.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.HazelcastInstance;
import dev.parx.PoolStats;
import dev.parx.TaskHandle;
import dev.parx.TaskOptions;
import dev.parx.WorkerCrashedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Members in JVMs of their own, started through {@link ParxMember}, one killed with SIGKILL while
 * it runs tasks: every handle completes, the retried tasks succeed on the other member, those
 * without retries fail naming the dead member, and no JVM is left behind.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class HazelcastMemberJvmTest {

    @Test
    void aMemberKilledMidTaskFailsOnlyItsTasksAndRetriedOnesSucceedElsewhere() throws Exception {
        List<Process> started;
        try (TestCluster cluster = new TestCluster(2); MemberJvms jvms = new MemberJvms(cluster)) {
            Process first = jvms.start(cluster.ports.get(0));
            Process second = jvms.start(cluster.ports.get(1));
            started = jvms.processes();
            HazelcastInstance client = cluster.client();
            Awaitility.await("two member JVMs, the client connected to each").atMost(MemberJvms.JOIN_BOUND)
                    .until(() -> TestCluster.connectedToAll(client, 2));
            String victim = "127.0.0.1:" + cluster.ports.get(1);

            try (HazelcastPool pool = HazelcastPool.builder().instance(client).name("jvms").workers(6).build()) {
                TaskOptions retry = TaskOptions.builder().retryOnCrash(2).build();
                List<List<Object>> messages = new ArrayList<>();
                List<TaskHandle<String>> handles = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    List<Object> heard = new CopyOnWriteArrayList<>();
                    messages.add(heard);
                    // Four with retries first: the least loaded member takes each, so each member runs two.
                    handles.add(pool.submit(WhereTask.class, 4_000L, i < 4 ? retry : TaskOptions.defaults())
                            .onMessage(heard::add));
                }
                Awaitility.await("six tasks started").atMost(Duration.ofSeconds(60))
                        .until(() -> messages.stream().allMatch(m -> !m.isEmpty()));
                long onVictim = messages.stream().filter(m -> m.getFirst().equals("started on " + victim)).count();
                assertEquals(3, onVictim, "the tasks were spread evenly: " + messages);

                MemberJvms.kill(second);

                for (int i = 0; i < 6; i++) {
                    TaskHandle<String> handle = handles.get(i);
                    boolean wasOnVictim = messages.get(i).getFirst().equals("started on " + victim);
                    if (!wasOnVictim) {
                        assertFalse(victim.equals(handle.join()));
                    } else if (i < 4) {
                        assertFalse(victim.equals(handle.join()), "the retried task ran on the dead member");
                        assertEquals(2, messages.get(i).size(), "started twice: " + messages.get(i));
                    } else {
                        WorkerCrashedException crash = assertThrows(WorkerCrashedException.class, handle::join);
                        assertTrue(crash.getMessage().contains(victim), crash.getMessage());
                    }
                }
                PoolStats stats = pool.stats();
                assertEquals(5, stats.completed(), stats.toString());
                assertEquals(1, stats.failed(), stats.toString());
                Map<String, Long> perMember = pool.tasksPerMember();
                assertEquals(5, perMember.get("127.0.0.1:" + cluster.ports.get(0)), perMember.toString());
                assertFalse(perMember.containsKey(victim), perMember.toString());
            }
            assertTrue(first.isAlive());
        }
        for (Process process : started) {
            assertFalse(process.isAlive(), "member JVM " + process.pid() + " was left behind");
        }
        assertEquals(List.of(), ProcessHandle.current().children().filter(ProcessHandle::isAlive).toList());
    }
}
