package dev.parx.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import dev.parx.PoolBuilder;
import dev.parx.Task;
import dev.parx.testkit.ContractTasks;
import dev.parx.testkit.PoolContract;
import java.time.Duration;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * The whole contract on three embedded members on loopback, submitted through a client, so that
 * the crash test can kill any member: after it, the member is started again.
 */
class HazelcastPoolContractTest extends PoolContract {

    private static final int MEMBERS = 3;
    private static TestCluster cluster;
    private static HazelcastInstance client;

    @BeforeAll
    static void startCluster() {
        cluster = new TestCluster(MEMBERS);
        cluster.startMembers();
        client = cluster.client();
        awaitMembers();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterEach
    void restartKilledMembers() {
        if (cluster.members().size() < MEMBERS) {
            for (int port : cluster.ports) {
                boolean running = cluster.members().stream()
                        .anyMatch(m -> m.getCluster().getLocalMember().getAddress().getPort() == port);
                if (!running) {
                    cluster.member(port);
                }
            }
            awaitMembers();
        }
    }

    private static void awaitMembers() {
        Awaitility.await("the client to see " + MEMBERS + " members").atMost(Duration.ofSeconds(60))
                .until(() -> client.getCluster().getMembers().size() == MEMBERS);
    }

    @Override
    protected PoolBuilder<?, ?> builder() {
        return HazelcastPool.builder().instance(client);
    }

    @Override
    protected ContractTasks tasks() {
        return new ContractTasks() {
            @Override
            public Optional<Class<? extends Task<String, String>>> crashWorker() {
                return Optional.of(KillMemberTask.class);
            }
        };
    }
}
