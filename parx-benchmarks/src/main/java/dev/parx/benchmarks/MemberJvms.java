package dev.parx.benchmarks;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.cluster.InitialMembershipEvent;
import com.hazelcast.cluster.InitialMembershipListener;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.core.HazelcastInstance;
import dev.parx.hazelcast.ParxMember;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Hazelcast members in JVMs of their own on loopback, each a {@link ParxMember} with this JVM's
 * class path, and a client of them in this JVM. {@link #close()} stops the client and the members
 * and waits until their JVMs ended; a member whose parent JVM ends without closing it (a JMH fork
 * killed at its timeout) halts by itself, so that no member JVM outlives the benchmark. The
 * system property {@code parx.bench.memberFlags} adds JVM flags to the members, where {@code {port}}
 * stands for the member's port: {@code -XX:StartFlightRecording=filename=member-{port}.jfr}.
 */
final class MemberJvms implements AutoCloseable {

    /** What Hazelcast needs on Java 25, as the benchmark JVMs have. */
    private static final List<String> FLAGS = List.of("--sun-misc-unsafe-memory-access=allow",
            "--add-modules", "java.se", "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.management/sun.management=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

    private final String cluster = "parx-bench-" + UUID.randomUUID();
    private final List<Process> members = new ArrayList<>();
    private final Thread reaper = new Thread(this::kill, "parx-bench-member-reaper");
    final HazelcastInstance client;

    /**
     * Starts the members, each with the given executor threads, and a client once both joined.
     *
     * @param count how many member JVMs
     * @param executorThreads the threads of each member's {@code parx} executor
     */
    MemberJvms(int count, int executorThreads) {
        Runtime.getRuntime().addShutdownHook(reaper);
        List<String> addresses = freePorts(count).stream().map(port -> "127.0.0.1:" + port).toList();
        try {
            Path logs = Files.createDirectories(Path.of("target", "member-jvms"));
            for (String address : addresses) {
                List<String> command = new ArrayList<>();
                command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
                command.addAll(FLAGS);
                // Extra flags for the members, such as a flight recording to profile them.
                String extra = System.getProperty("parx.bench.memberFlags", "").replace("{port}",
                        address.substring(address.indexOf(':') + 1));
                command.addAll(List.of(extra.split("\\s+")).stream().filter(flag -> !flag.isBlank()).toList());
                command.addAll(List.of("-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch",
                        "-Dhazelcast.phone.home.enabled=false", "-Dhazelcast.wait.seconds.before.join=0",
                        "-Dhazelcast.logging.type=slf4j", "-Dorg.slf4j.simpleLogger.log.com.hazelcast=warn",
                        "-cp", System.getProperty("java.class.path"), Member.class.getName(),
                        "--cluster-name", cluster, "--port", address.substring(address.indexOf(':') + 1),
                        "--interface", "127.0.0.1", "--executor-threads", String.valueOf(executorThreads)));
                for (String member : addresses) {
                    command.add("--member");
                    command.add(member);
                }
                File log = logs.resolve("member-" + address.replace(':', '-') + ".log").toFile();
                members.add(new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.to(log)).start());
            }
        } catch (IOException e) {
            kill();
            throw new UncheckedIOException(e);
        }
        ClientConfig config = new ClientConfig();
        config.setClusterName(cluster);
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.getNetworkConfig().setAddresses(addresses);
        config.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(120_000);
        HazelcastInstance started = null;
        try {
            started = HazelcastClient.newHazelcastClient(config);
            CountDownLatch joined = new CountDownLatch(1);
            started.getCluster().addMembershipListener(new InitialMembershipListener() {
                @Override
                public void init(InitialMembershipEvent event) {
                    if (event.getMembers().size() >= count) {
                        joined.countDown();
                    }
                }

                @Override
                public void memberAdded(MembershipEvent event) {
                    if (event.getMembers().size() >= count) {
                        joined.countDown();
                    }
                }

                @Override
                public void memberRemoved(MembershipEvent event) {
                    // a member that left before the benchmark fails its setup below
                }
            });
            if (!joined.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the member JVMs did not join within 120 s: see target/member-jvms");
            }
        } catch (RuntimeException | InterruptedException e) {
            if (started != null) {
                started.shutdown();
            }
            kill();
            throw new IllegalStateException("the cluster did not start", e);
        }
        client = started;
    }

    @Override
    public void close() {
        try {
            client.shutdown();
        } finally {
            kill();
            try {
                Runtime.getRuntime().removeShutdownHook(reaper);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }

    /**
     * Stops the member JVMs with SIGTERM (a flight recording they make is written then), and with
     * SIGKILL those still running 10 s later; waits for them.
     */
    private void kill() {
        for (Process member : members) {
            member.destroy();
        }
        for (Process member : members) {
            try {
                if (!member.waitFor(10, TimeUnit.SECONDS)) {
                    member.destroyForcibly();
                }
                if (!member.waitFor(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("member JVM " + member.pid() + " survived SIGKILL");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static List<Integer> freePorts(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
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

    /** A {@link ParxMember} that halts when the JVM that started it ends. */
    public static final class Member {
        private Member() {
        }

        /**
         * Starts the member.
         *
         * @param args {@link ParxMember}'s options
         * @throws Exception if it cannot start
         */
        public static void main(String[] args) throws Exception {
            ProcessHandle.current().parent().ifPresent(parent -> parent.onExit()
                    .thenRun(() -> Runtime.getRuntime().halt(0)));
            ParxMember.start(args);
        }
    }
}
