package dev.parx.hazelcast;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * {@link ParxMember}s in JVMs of their own, started with this test's class path and the flags
 * Hazelcast needs on Java 25; {@link #close()} kills whatever is still running and waits for it.
 */
final class MemberJvms implements AutoCloseable {

    private final TestCluster cluster;
    private final Path logs;
    private final List<Process> processes = new CopyOnWriteArrayList<>();

    MemberJvms(TestCluster cluster) throws IOException {
        this.cluster = cluster;
        this.logs = Files.createDirectories(Path.of("target", "member-jvms"));
    }

    /** Starts a member JVM on one of the cluster's ports. */
    Process start(int port) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String flags = System.getProperty("parx.hazelcast.jvmFlags", "");
        command.addAll(Arrays.stream(flags.split("\\s+")).filter(f -> !f.isBlank()).toList());
        command.addAll(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Dhazelcast.phone.home.enabled=false", "-Dhazelcast.wait.seconds.before.join=0",
                "-Dhazelcast.logging.type=slf4j", "-cp", System.getProperty("java.class.path"),
                ParxMember.class.getName()));
        command.addAll(cluster.memberArgs(port));
        File log = logs.resolve("member-" + port + ".log").toFile();
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log)).start();
        processes.add(process);
        return process;
    }

    /** Kills a member JVM as {@code kill -9} does. */
    static void kill(Process process) throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("member JVM " + process.pid() + " survived SIGKILL");
        }
    }

    List<Process> processes() {
        return List.copyOf(processes);
    }

    @Override
    public void close() throws InterruptedException {
        for (Process process : processes) {
            process.destroyForcibly();
        }
        for (Process process : processes) {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("member JVM " + process.pid() + " outlived its test");
            }
        }
    }

    /** How long a member JVM may take to start and join, on a busy two-core machine. */
    static final Duration JOIN_BOUND = Duration.ofSeconds(90);
}
