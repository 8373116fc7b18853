package dev.parx.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Two JVMs add to the same long of one mapped file, one creating it, the other joining: the count is exact. */
class SharedBufferTwoJvmTest {

    static final long SIZE = 4096;

    @TempDir
    Path dir;

    private Process child;

    @AfterEach
    void killChild() throws InterruptedException {
        if (child != null && child.isAlive()) {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @Timeout(120)
    void twoJvmsHammeringGetAndAddCountExactly() throws Exception {
        assertExactCount(1_000_000);
    }

    void assertExactCount(long perJvm) throws Exception {
        Path file = dir.resolve("counter.bin");
        try (SharedBuffer buffer = SharedBuffer.create(file, SIZE)) {
            child = Hammer.start(file, perJvm);
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> buffer.getLongVolatile(16) == 1 || !child.isAlive());
            assertTrue(child.isAlive(), "the other JVM started");
            buffer.setLongVolatile(8, 1);   // go: both JVMs add at the same time
            for (long i = 0; i < perJvm; i++) {
                buffer.getAndAddLong(0, 1);
            }
            assertTrue(child.waitFor(90, TimeUnit.SECONDS), "the other JVM finished");
            assertEquals(0, child.exitValue());
            assertEquals(2 * perJvm, buffer.getLongVolatile(0));
        }
    }
}
