package dev.parx.threads.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** futex(2) on a mapped file: a wake cuts a wait short; a wait on a changed value does not sleep. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FutexTest {

    @TempDir
    Path dir;

    @Test
    void isAvailableOnLinuxWithNativeAccess() {
        assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("linux"));
        assumeTrue(Futex.class.getModule().isNativeAccessEnabled(), "the tests run with --enable-native-access");
        assertTrue(Futex.AVAILABLE, "futexes on Linux " + System.getProperty("os.arch"));
    }

    @Test
    void aWakeEndsAWaitLongBeforeItsTimeoutAndAChangedValueIsNoWait() throws Exception {
        assumeTrue(Futex.AVAILABLE);
        try (Arena arena = Arena.ofShared(); FileChannel file = FileChannel.open(dir.resolve("f.bin"),
                StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            file.write(java.nio.ByteBuffer.allocate(4096));
            MemorySegment memory = file.map(FileChannel.MapMode.READ_WRITE, 0, 4096, arena);
            long address = memory.address() + 64;

            long start = System.nanoTime();
            Futex.await(address, 1, Duration.ofSeconds(20).toNanos());   // holds 0, not 1: returns at once
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos());

            long[] slept = new long[1];
            Thread waiter = Thread.ofPlatform().start(() -> {
                long began = System.nanoTime();
                Futex.await(address, 0, Duration.ofSeconds(30).toNanos());
                slept[0] = System.nanoTime() - began;
            });
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Arrays.stream(waiter.getStackTrace())
                    .anyMatch(frame -> frame.getClassName().endsWith(".Futex") && frame.getMethodName().equals("await")));
            memory.set(ValueLayout.JAVA_INT, 64, 1);
            Futex.wake(address);
            waiter.join(Duration.ofSeconds(20));
            assertTrue(!waiter.isAlive() && slept[0] < Duration.ofSeconds(20).toNanos(),
                    "woken after " + slept[0] / 1_000_000 + " ms");
        }
    }
}
