package dev.parx.threads;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parx.threads.SharedBuffer.WaitResult;
import dev.parx.testkit.TestThreads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class SharedBufferTest {

    @TempDir
    Path dir;

    private final List<SharedBuffer> buffers = new ArrayList<>();
    private final TestThreads threads = new TestThreads("buffer-test");

    @AfterEach
    void stopThreadsAndClose() throws InterruptedException {
        threads.stopAll();
        buffers.forEach(SharedBuffer::close);
    }

    private SharedBuffer allocate(long bytes) {
        SharedBuffer buffer = SharedBuffer.allocate(bytes);
        buffers.add(buffer);
        return buffer;
    }


    @Test
    void typedValuesRoundTripAtAnyOffset() {
        SharedBuffer buffer = allocate(64);
        buffer.setByte(0, (byte) -7);
        buffer.setInt(1, 0x12345678);
        buffer.setLong(5, Long.MIN_VALUE + 3);
        buffer.setDouble(13, Math.PI);
        buffer.setBytes(30, new byte[] {1, 2, 3, 4, 5}, 1, 3);
        assertEquals((byte) -7, buffer.getByte(0));
        assertEquals(0x12345678, buffer.getInt(1));
        assertEquals(Long.MIN_VALUE + 3, buffer.getLong(5));
        assertEquals(Math.PI, buffer.getDouble(13));
        byte[] out = new byte[5];
        buffer.getBytes(29, out, 0, 5);
        assertArrayEquals(new byte[] {0, 2, 3, 4, 0}, out);
        assertEquals(64, buffer.byteSize());
    }

    @Test
    void atomicsWork() {
        SharedBuffer buffer = allocate(64);
        assertEquals(0, buffer.getAndAddInt(4, 5));
        assertEquals(5, buffer.getAndAddInt(4, 1));
        assertTrue(buffer.compareAndSetInt(4, 6, 10));
        assertFalse(buffer.compareAndSetInt(4, 6, 11));
        assertEquals(10, buffer.getIntVolatile(4));
        buffer.setIntRelease(4, 12);
        assertEquals(12, buffer.getInt(4));
        buffer.setIntVolatile(4, 13);
        assertEquals(13, buffer.getIntVolatile(4));

        assertEquals(0L, buffer.getAndAddLong(8, 1L << 40));
        assertTrue(buffer.compareAndSetLong(8, 1L << 40, 7));
        assertFalse(buffer.compareAndSetLong(8, 1L << 40, 8));
        buffer.setLongRelease(16, -1);
        assertEquals(-1L, buffer.getLongVolatile(16));
        buffer.setLongVolatile(16, 3);
        assertEquals(3L, buffer.getLong(16));
    }

    @Test
    void misalignedAtomicsAreRefusedClearly() {
        SharedBuffer buffer = allocate(64);
        IllegalArgumentException intError = assertThrows(IllegalArgumentException.class, () -> buffer.getAndAddInt(2, 1));
        assertTrue(intError.getMessage().contains("multiple of 4"), intError.getMessage());
        IllegalArgumentException longError = assertThrows(IllegalArgumentException.class, () -> buffer.compareAndSetLong(4, 0, 1));
        assertTrue(longError.getMessage().contains("multiple of 8"), longError.getMessage());
        assertThrows(IllegalArgumentException.class, () -> buffer.getIntVolatile(1));
        assertThrows(IllegalArgumentException.class, () -> buffer.setLongRelease(12, 1));
        assertThrows(IllegalArgumentException.class, () -> buffer.waitFor(2, 0, Duration.ZERO));
    }

    @Test
    void accessesOutOfBoundsAreRefused() {
        SharedBuffer buffer = allocate(16);
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.getLong(9));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.setByte(16, (byte) 1));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.getInt(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.getAndAddLong(16, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.setBytes(10, new byte[8], 0, 8));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.getBytes(0, new byte[4], 2, 4));
        assertThrows(IllegalArgumentException.class, () -> SharedBuffer.allocate(0));
    }

    @Test
    void useAfterCloseIsAClearError() {
        SharedBuffer buffer = SharedBuffer.allocate(64);
        var segment = buffer.asSegment();
        buffer.close();
        buffer.close();
        assertTrue(buffer.isClosed());
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> buffer.getInt(0));
        assertTrue(error.getMessage().contains("closed"), error.getMessage());
        assertThrows(IllegalStateException.class, () -> buffer.getAndAddLong(0, 1));
        assertThrows(IllegalStateException.class, () -> buffer.notify(0, 1));
        assertThrows(IllegalStateException.class, () -> segment.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0));
    }

    @Test
    @Timeout(30)
    void closingWhileAnotherThreadHammersNeverCrashes() throws Exception {
        SharedBuffer buffer = SharedBuffer.allocate(4096);
        CompletableFuture<Long> hammer = threads.start(() -> {
            long done = 0;
            while (true) {
                buffer.getAndAddLong(8 * (done & 511), 1);
                buffer.setDouble(done & 4000, done);
                done++;
            }
        });
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> buffer.getLongVolatile(0) > 1000);
        buffer.close();
        Throwable failure = assertThrows(Exception.class, () -> hammer.get(10, TimeUnit.SECONDS)).getCause();
        assertInstanceOf(IllegalStateException.class, failure);
    }

    @Test
    @Timeout(30)
    void waitForReturnsNotEqualAtOnceAndTimesOut() throws Exception {
        SharedBuffer buffer = allocate(64);
        buffer.setIntVolatile(0, 1);
        assertEquals(WaitResult.NOT_EQUAL, buffer.waitFor(0, 2, Duration.ofDays(1)));
        assertEquals(WaitResult.TIMED_OUT, buffer.waitFor(0, 1, Duration.ofMillis(20)));
        assertEquals(WaitResult.TIMED_OUT, buffer.waitForLong(8, 0L, Duration.ofMillis(20)));
        assertEquals(0, buffer.notify(0, 10), "nobody is waiting");
    }

    @Test
    @Timeout(30)
    void notifyWakesAsManyAsAskedAndSaysHowMany() throws Exception {
        SharedBuffer buffer = allocate(64);
        List<CompletableFuture<WaitResult>> waits = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            waits.add(threads.start(() -> buffer.waitFor(8, 0, Duration.ofMinutes(1))));
        }
        int[] woken = {0};
        // the waiters enqueue at their own pace: wake one, then retry until the others are there
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> (woken[0] += buffer.notify(8, 1 - woken[0])) == 1);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> waits.stream().filter(CompletableFuture::isDone).count() == 1);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> (woken[0] += buffer.notify(8, Integer.MAX_VALUE)) == 3);
        for (CompletableFuture<WaitResult> wait : waits) {
            assertEquals(WaitResult.OK, wait.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    @Timeout(30)
    void aWriteThenNotifyNeverMissesAWaiter() throws Exception {
        SharedBuffer buffer = allocate(64);
        // a ping-pong on one int: each side waits for its turn, the other sets it and notifies
        int rounds = 2_000;
        CompletableFuture<Void> other = threads.start(() -> {
            for (int i = 0; i < rounds; i++) {
                while (buffer.waitFor(0, 2 * i, Duration.ofSeconds(20)) == WaitResult.OK && buffer.getIntVolatile(0) == 2 * i) {
                    // a wake-up meant for the previous round: wait again
                }
                assertEquals(2 * i + 1, buffer.getIntVolatile(0));
                buffer.setIntVolatile(0, 2 * i + 2);
                buffer.notify(0, 1);
            }
            return null;
        });
        for (int i = 0; i < rounds; i++) {
            buffer.setIntVolatile(0, 2 * i + 1);
            buffer.notify(0, 1);
            while (buffer.waitFor(0, 2 * i + 1, Duration.ofSeconds(20)) == WaitResult.OK && buffer.getIntVolatile(0) == 2 * i + 1) {
                // as above
            }
            assertEquals(2 * i + 2, buffer.getIntVolatile(0));
        }
        other.get(10, TimeUnit.SECONDS);
    }

    @Test
    @Timeout(30)
    void closeWakesWaitersWithAClearError() throws Exception {
        SharedBuffer buffer = SharedBuffer.allocate(64);
        CompletableFuture<WaitResult> wait = threads.start(() -> buffer.waitFor(0, 0, Duration.ofMinutes(1)));
        Thread thread = threads.last();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> thread.getState() == Thread.State.TIMED_WAITING);
        buffer.close();
        Throwable failure = assertThrows(Exception.class, () -> wait.get(10, TimeUnit.SECONDS)).getCause();
        assertInstanceOf(IllegalStateException.class, failure);
    }

    @Test
    void aCreatedFileIsAllocatedUpFrontAndSharedWithThoseWhoJoinIt() throws IOException {
        Path file = dir.resolve("shared.bin");
        try (SharedBuffer first = SharedBuffer.create(file, 3 << 20); SharedBuffer second = SharedBuffer.join(file)) {
            assertEquals(3 << 20, Files.size(file));
            assertEquals(3 << 20, second.byteSize(), "a join maps the whole file");
            first.setLong(8, 42);
            first.getAndAddLong(16, 5);
            assertEquals(42, second.getLong(8));
            assertEquals(5, second.getAndAddLong(16, 1));
            assertEquals(6, first.getLongVolatile(16));
            assertEquals(file, first.path());
        }
        assertTrue(Files.exists(file), "closing unmaps; the file stays");
        try (SharedBuffer again = SharedBuffer.join(file)) {
            assertEquals(6, again.getLongVolatile(16), "the data outlives the mapping");
        }
    }

    @Test
    void creatingMoreThanTheDiskHoldsFailsClearlyAndLeavesNoFile() {
        Path file = dir.resolve("huge.bin");
        SharedFileException error = assertThrows(SharedFileException.class, () -> SharedBuffer.create(file, Long.MAX_VALUE / 2));
        assertTrue(error.getMessage().contains("not enough free space"), error.getMessage());
        assertEquals(file, error.file());
        assertFalse(Files.exists(file));
    }

    @Test
    @Timeout(30)
    void mappedWaitSeesAChangeMadeWithoutNotify() throws Exception {
        Path file = dir.resolve("poll.bin");
        try (SharedBuffer waiter = SharedBuffer.create(file, 4096); SharedBuffer writer = SharedBuffer.join(file)) {
            CompletableFuture<WaitResult> wait = threads.start(() -> waiter.waitFor(0, 0, Duration.ofMinutes(1)));
            Thread thread = threads.last();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> sleepsInWaitFor(thread));
            writer.setIntVolatile(0, 1);   // like another process: no notify can reach the waiter
            assertEquals(WaitResult.OK, wait.get(20, TimeUnit.SECONDS));
        }
    }

    /** Whether a thread sleeps in a wait, past its first check: parked, or in a futex wait (running native code). */
    static boolean sleepsInWaitFor(Thread thread) {
        return thread.getState() == Thread.State.TIMED_WAITING || java.util.Arrays.stream(thread.getStackTrace())
                .anyMatch(frame -> frame.getClassName().endsWith(".Futex") && frame.getMethodName().equals("await"));
    }
}
