package dev.parx.threads;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parx.Codecs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Long runs, behind -Pstress: volume through mpsc, wake-ups under churn, native memory over many
 * lifecycles, two JVMs.
 */
@Tag("stress")
class OffHeapStressTest {

    private static final Pattern OTHER = Pattern.compile("-\\s+Other \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)");

    @TempDir
    Path dir;

    private final List<Thread> threads = new ArrayList<>();
    private Process child;

    @AfterEach
    void cleanUp() throws InterruptedException {
        threads.forEach(Thread::interrupt);
        for (Thread thread : threads) {
            thread.join(10_000);
            assertFalse(thread.isAlive(), thread + " did not stop");
        }
        if (child != null && child.isAlive()) {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @Timeout(600)
    void fourSendersTenMillionMessagesEachThroughMpsc() throws Exception {
        int senders = 4;
        long perSender = 10_000_000;
        OffHeapChannel<Long> channel = OffHeapChannel.mpsc(1 << 16, Codecs.longs());
        try {
            Throwable[] failures = new Throwable[senders];
            for (int s = 0; s < senders; s++) {
                int sender = s;
                Thread thread = Thread.ofPlatform().name("sender-" + s).start(() -> {
                    try {
                        for (long i = 0; i < perSender; i++) {
                            channel.send(((long) sender << 56) | i);
                        }
                    } catch (Throwable t) {
                        failures[sender] = t;
                    }
                });
                threads.add(thread);
            }
            long[] next = new long[senders];
            for (long i = 0; i < senders * perSender; i++) {
                long message = channel.receive();
                int sender = (int) (message >>> 56);
                long sequence = message & ((1L << 56) - 1);
                if (sequence != next[sender]) {
                    assertEquals(next[sender], sequence, "sender " + sender + " after " + i + " messages");
                }
                next[sender]++;
            }
            for (Thread thread : threads) {
                thread.join();
            }
            assertArrayEquals(new Throwable[senders], failures);
            assertArrayEquals(new long[] {perSender, perSender, perSender, perSender}, next);
            channel.close();
            assertEquals(null, channel.poll(Duration.ZERO), "nothing beyond what was sent");
        } finally {
            channel.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"spsc", "mpsc"})
    @Timeout(600)
    void twoHundredThousandRoundTripsThatParkAtOnceLoseNoWakeUp(String kind) throws Exception {
        // every wait goes straight to the announcement, the re-check and the park: the racy part
        IdleStrategy parkAtOnce = IdleStrategy.backoff(0, 0, Duration.ofDays(1));
        try (OffHeapChannel<Long> ping = channel(kind, 1024, parkAtOnce);
                OffHeapChannel<Long> pong = channel(kind, 1024, parkAtOnce)) {
            int rounds = 200_000;
            Throwable[] failure = startEcho(ping, pong, rounds);
            for (long i = 0; i < rounds; i++) {
                ping.send(i);
                assertEquals(i, pong.receive());
            }
            threads.getLast().join();
            assertEquals(null, failure[0]);
        }
    }

    @Test
    @Timeout(600)
    void tenMillionRoundTripsOfOneKibibyteWithTheDefaultStrategyNeverStall() throws Exception {
        // Spin, yield, then park, as most users will: wake-ups that find the waiter already gone leave
        // permits behind, which end a later first park early. The echo waits without a time limit.
        try (OffHeapChannel<byte[]> ping = OffHeapChannel.spsc(256 * 1024, Codecs.bytes());
                OffHeapChannel<byte[]> pong = OffHeapChannel.spsc(256 * 1024, Codecs.bytes())) {
            int rounds = 10_000_000;
            Throwable[] failure = startEcho(ping, pong, rounds);
            byte[] message = new byte[1024];
            for (int i = 0; i < rounds; i++) {
                message[i & 1023] = (byte) i;
                ping.send(message);
                byte[] echo = pong.poll(Duration.ofSeconds(30));
                assertTrue(echo != null, "round trip " + i + " stalled: " + failure[0]);
                assertEquals((byte) i, echo[i & 1023]);
            }
            threads.getLast().join();
            assertEquals(null, failure[0]);
        }
    }

    /**
     * Starts a thread that sends back on {@code pong}, {@code rounds} times, what it receives on
     * {@code ping}; it is the last of {@link #threads}.
     *
     * @return where the thread leaves what it failed with, if it does
     */
    private <T> Throwable[] startEcho(OffHeapChannel<T> ping, OffHeapChannel<T> pong, int rounds) {
        Throwable[] failure = new Throwable[1];
        threads.add(Thread.ofPlatform().name("echo").start(() -> {
            try {
                for (int i = 0; i < rounds; i++) {
                    pong.send(ping.receive());
                }
            } catch (Throwable t) {
                failure[0] = t;
            }
        }));
        return failure;
    }

    @ParameterizedTest
    @ValueSource(strings = {"spsc", "mpsc"})
    @Timeout(600)
    void aReceiverTakingMessagesInBurstsWithPausesNeverStrandsAParkedSender(String kind) throws Exception {
        // a small ring: the sender waits for room over and over, woken at its wake position or by its own timer
        try (OffHeapChannel<Long> channel = channel(kind, 1024, IdleStrategy.backoff())) {
            long count = 2_000_000;
            Throwable[] failure = new Throwable[1];
            threads.add(Thread.ofPlatform().name("sender").start(() -> {
                try {
                    for (long i = 0; i < count; i++) {
                        channel.send(i);
                    }
                } catch (Throwable t) {
                    failure[0] = t;
                }
            }));
            SplittableRandom random = new SplittableRandom(7);
            for (long i = 0; i < count; ) {
                for (int burst = random.nextInt(1, 200); burst > 0 && i < count; burst--, i++) {
                    assertEquals(i, channel.receive());
                }
                if (random.nextInt(10) == 0) {
                    LockSupport.parkNanos(random.nextLong(1_000_000));   // jitter, not a wait for a condition
                }
            }
            threads.getLast().join();
            assertEquals(null, failure[0]);
        }
    }

    private static OffHeapChannel<Long> channel(String kind, int capacity, IdleStrategy idle) {
        return "spsc".equals(kind)
                ? OffHeapChannel.spsc(capacity, Codecs.longs(), idle)
                : OffHeapChannel.mpsc(capacity, Codecs.longs(), idle);
    }

    @Test
    @Timeout(600)
    void thousandsOfChannelsAndBuffersLeaveNoNativeMemoryBehind() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        child = new ProcessBuilder(java, "-XX:NativeMemoryTracking=summary", "--enable-native-access=ALL-UNNAMED",
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), Churn.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        PrintStream in = new PrintStream(child.getOutputStream(), true, StandardCharsets.UTF_8);
        assertEquals("round 0", out.readLine());   // a warm-up round: classes, JIT, cleaner thread
        long baseline = otherCommittedKb(child.pid());
        long peak = 0;
        for (int round = 1; round <= 5; round++) {
            in.println("go");
            assertEquals("round " + round, out.readLine());
            peak = Math.max(peak, otherCommittedKb(child.pid()));
        }
        in.close();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, child.exitValue());
        // each round allocates 1,000 x 64 KiB channels and 1,000 x 64 KiB buffers: 125 MiB
        long growth = peak - baseline;
        System.out.printf("native memory (NMT Other, committed): %d KiB after the warm-up round, at most %d KiB over 5 more"
                + " rounds of 1,000 channels and 1,000 buffers%n", baseline, peak);
        assertTrue(growth < 8 * 1024, "native memory (NMT 'Other') grew by " + growth + " KiB from " + baseline + " KiB");
    }

    private static long otherCommittedKb(long pid) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "VM.native_memory", "summary")
                .redirectErrorStream(true).start();
        String report = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        Matcher matcher = OTHER.matcher(report);
        assertTrue(matcher.find(), () -> "no 'Other' category in\n" + report);
        return Long.parseLong(matcher.group(2));
    }

    @Test
    @Timeout(600)
    void twoJvmsHammeringAHundredMillionEach() throws Exception {
        SharedBufferTwoJvmTest twoJvms = new SharedBufferTwoJvmTest();
        twoJvms.dir = dir;
        try {
            twoJvms.assertExactCount(100_000_000);
        } finally {
            twoJvms.killChild();
        }
    }
}
