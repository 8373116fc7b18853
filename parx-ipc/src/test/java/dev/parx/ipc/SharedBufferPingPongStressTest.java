package dev.parx.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parx.TaskHandle;
import dev.parx.ipc.tasks.SharedBufferTasks;
import dev.parx.ipc.tasks.SharedBufferTasks.PingPong;
import dev.parx.ipc.tasks.SharedBufferTasks.Waiting;
import dev.parx.threads.SharedBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What waiting across processes costs: a round trip between this JVM and a child through a mapped
 * SharedBuffer, the two waiting in {@code waitFor} (woken by a futex on Linux, else polling) or
 * spinning, beside the same round trip between two threads of one JVM through {@code notify}; and
 * how late a child wakes in {@code waitFor} after an idle while. Prints the figures.
 */
@Tag("stress")
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class SharedBufferPingPongStressTest {

    private static JvmPool pool;

    @TempDir
    Path directory;

    @BeforeAll
    static void start() {
        pool = JvmPool.builder().workers(1).prestart(1).build();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(Duration.ofSeconds(30)));
        Children.awaitNoChildJvms();
    }

    @Test
    void roundTripsAcrossProcesses() throws Exception {
        System.out.println("SharedBuffer futex wake-ups in this JVM: " + futexes());
        report("cross-process, waitFor/notify", crossProcess(Waiting.WAIT_FOR, 2_000), crossProcess(Waiting.WAIT_FOR, 20_000));
        report("cross-process, spinning", crossProcess(Waiting.SPIN, 20_000), crossProcess(Waiting.SPIN, 200_000));
        report("in-process threads, waitFor/notify", inProcess(2_000), inProcess(20_000));
    }

    @Test
    void wakeLatencyOfAChildWaitingInWaitForAfterAnIdleWhile() throws Exception {
        for (long idleMillis : new long[] {1, 20}) {
            int rounds = 100;
            try (SharedBuffer buffer = SharedBuffer.create(directory.resolve("wake-" + idleMillis + ".bin"),
                    8L * (2 * rounds + 2))) {
                TaskHandle<Void> child = pool.submit(SharedBufferTasks.WakeLatency.class,
                        new PingPong(buffer, rounds, Waiting.WAIT_FOR));
                for (int i = 0; i < rounds; i++) {
                    SharedBufferTasks.awaitValue(buffer, 2 * i, Waiting.SPIN);
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(idleMillis));   // the idle while measured
                    buffer.setLongVolatile(8L * i + 8, System.nanoTime());
                    buffer.setIntVolatile(0, 2 * i + 1);
                    buffer.notify(0, 1);
                }
                child.join();
                long[] latencies = new long[rounds];
                for (int i = 0; i < rounds; i++) {
                    latencies[i] = buffer.getLongVolatile(8L * (rounds + i) + 8) - buffer.getLongVolatile(8L * i + 8);
                }
                Arrays.sort(latencies);
                assertTrue(latencies[0] > 0, "the child woke after the write");
                System.out.printf(Locale.ROOT, "SharedBuffer wake latency across processes after %d ms idle, %d samples:"
                        + " median %.1f us, p90 %.1f us, max %.1f us%n", idleMillis, rounds,
                        latencies[rounds / 2] / 1e3, latencies[rounds * 9 / 10] / 1e3, latencies[rounds - 1] / 1e3);
            }
        }
    }

    /** Nanoseconds per round trip with a child. */
    private long crossProcess(Waiting waiting, int rounds) throws Exception {
        try (SharedBuffer buffer = SharedBuffer.create(directory.resolve(waiting + "-" + rounds + ".bin"), 64)) {
            TaskHandle<Void> child = pool.submit(SharedBufferTasks.Pong.class, new PingPong(buffer, rounds, waiting));
            long start = System.nanoTime();
            for (int i = 0; i < rounds; i++) {
                buffer.setIntRelease(0, 2 * i + 1);
                buffer.notify(0, 1);
                SharedBufferTasks.awaitValue(buffer, 2 * i + 2, waiting);
            }
            long took = System.nanoTime() - start;
            child.join();
            assertEquals(2 * rounds, buffer.getIntVolatile(0));
            return took / rounds;
        }
    }

    /** Nanoseconds per round trip between two threads of this JVM, through notify. */
    private static long inProcess(int rounds) throws Exception {
        try (SharedBuffer buffer = SharedBuffer.allocate(64)) {
            Thread pong = Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < rounds; i++) {
                        SharedBufferTasks.awaitValue(buffer, 2 * i + 1, Waiting.WAIT_FOR);
                        buffer.setIntRelease(0, 2 * i + 2);
                        buffer.notify(0, 1);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            long start = System.nanoTime();
            for (int i = 0; i < rounds; i++) {
                buffer.setIntRelease(0, 2 * i + 1);
                buffer.notify(0, 1);
                SharedBufferTasks.awaitValue(buffer, 2 * i + 2, Waiting.WAIT_FOR);
            }
            long took = System.nanoTime() - start;
            pong.join();
            assertEquals(2 * rounds, buffer.getIntVolatile(0));
            return took / rounds;
        }
    }

    /** Whether SharedBuffer's futexes work here (the internal class is reachable on the class path). */
    private static String futexes() {
        try {
            return String.valueOf(Class.forName("dev.parx.threads.internal.Futex").getField("AVAILABLE").get(null));
        } catch (ReflectiveOperationException e) {
            return "unknown (" + e + ")";
        }
    }

    private static void report(String what, long warmUp, long measured) {
        assertTrue(measured > 0);
        System.out.printf(Locale.ROOT, "SharedBuffer round trip, %s: %.2f us (warm-up run %.2f us)%n", what,
                measured / 1e3, warmUp / 1e3);
    }
}
