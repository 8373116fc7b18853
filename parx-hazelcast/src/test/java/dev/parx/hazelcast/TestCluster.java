package dev.parx.hazelcast;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.impl.clientside.HazelcastClientProxy;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * Hazelcast members and clients on loopback for one test class, joined offline: a cluster name
 * of its own, multicast and auto-detection off, TCP/IP to fixed free ports on 127.0.0.1, phone-home
 * off, no wait before joining. Everything it started is shut down by {@link #close()}.
 */
final class TestCluster implements AutoCloseable {

    private static final AtomicInteger STARTS = new AtomicInteger();

    final String name = "parx-test-" + UUID.randomUUID();
    final List<Integer> ports;
    private final List<HazelcastInstance> started = new CopyOnWriteArrayList<>();

    /**
     * Reserves ports for up to {@code size} members.
     *
     * @param size how many members the cluster may have
     */
    TestCluster(int size) {
        this.ports = freePorts(size);
    }

    /** Starts the members on all the ports at once and waits until they formed one cluster. */
    List<HazelcastInstance> startMembers() {
        List<Thread> starters = new ArrayList<>();
        for (int port : ports) {
            starters.add(Thread.ofPlatform().start(() -> member(port)));
        }
        for (Thread starter : starters) {
            try {
                starter.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return members();
    }

    /** Starts a member on a port. */
    HazelcastInstance member(int port) {
        HazelcastInstance member = Hazelcast.newHazelcastInstance(memberConfig(port));
        started.add(member);
        return member;
    }

    Config memberConfig(int port) {
        Config config = new Config();
        config.setClusterName(name);
        config.setInstanceName(name + "-" + port + "-" + STARTS.incrementAndGet());
        offline(config);
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(port).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(addresses());
        return config;
    }

    /** Options for {@link ParxMember} that join this cluster on a port. */
    List<String> memberArgs(int port) {
        List<String> args = new ArrayList<>(List.of("--cluster-name", name, "--port", String.valueOf(port),
                "--interface", "127.0.0.1"));
        for (String address : addresses()) {
            args.add("--member");
            args.add(address);
        }
        return args;
    }

    private static void offline(Config config) {
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        config.setProperty("hazelcast.logging.type", "slf4j");
    }

    /** A client of the cluster. */
    HazelcastInstance client() {
        ClientConfig config = new ClientConfig();
        config.setClusterName(name);
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.getNetworkConfig().setAddresses(addresses());
        config.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(60_000);
        HazelcastInstance client = HazelcastClient.newHazelcastClient(config);
        started.add(client);
        return client;
    }

    /**
     * Whether a client sees {@code count} members and holds a connection to each. Until it does,
     * it sends what is meant for a member it has no connection to through another one, so that
     * killing that other member fails tasks on both.
     */
    static boolean connectedToAll(HazelcastInstance client, int count) {
        return client.getCluster().getMembers().size() == count
                && ((HazelcastClientProxy) client).client.getConnectionManager().getActiveConnections().size() == count;
    }

    /** The members that are running. */
    List<HazelcastInstance> members() {
        return started.stream()
                .filter(i -> i.getLifecycleService().isRunning())
                .filter(i -> i.getConfig() != null && !(i.getClass().getName().contains("Client")))
                .toList();
    }

    List<String> addresses() {
        return ports.stream().map(port -> "127.0.0.1:" + port).toList();
    }

    @Override
    public void close() {
        for (HazelcastInstance instance : started.reversed()) {
            try {
                instance.getLifecycleService().terminate();
            } catch (RuntimeException e) {
                // already gone
            }
        }
        started.clear();
    }

    private static List<Integer> freePorts(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            return IntStream.range(0, count).mapToObj(i -> sockets.get(i).getLocalPort()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // nothing to do
                }
            }
        }
    }
}
