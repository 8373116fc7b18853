package dev.parx.ipc;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.parx.Task;
import dev.parx.TaskFailedException;
import dev.parx.TaskHandle;
import dev.parx.ipc.tasks.SharedBufferTasks;
import dev.parx.ipc.tasks.SharedBufferTasks.Slot;
import dev.parx.threads.SharedBuffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/** A SharedBuffer in a task's input reaches the child mapped to the same file. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JvmPoolSharedBufferTest {

    @TempDir
    Path directory;

    /** One child for most tests: it also shows that no test leaves a mapping behind in it. */
    private static JvmPool shared;
    private final List<JvmPool> pools = new ArrayList<>();
    private final List<SharedBuffer> buffers = new ArrayList<>();

    @BeforeAll
    static void startTheChild() {
        shared = JvmPool.builder().workers(1).build();
    }

    @AfterAll
    static void stopTheChild() throws InterruptedException {
        shared.shutdownNow();
        assertTrue(shared.awaitTermination(Duration.ofSeconds(30)), shared::toString);
        Children.awaitNoChildJvms();
    }

    @BeforeEach
    void ownerOnly() throws IOException {
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        directory = directory.toRealPath();
    }

    @AfterEach
    void closeEverything() throws InterruptedException {
        Children.stopAll(pools);
        buffers.forEach(SharedBuffer::close);
    }

    private JvmPool pool(int workers) {
        if (workers == 1) {
            return shared;
        }
        JvmPool pool = JvmPool.builder().workers(workers).build();
        pools.add(pool);
        return pool;
    }

    private SharedBuffer buffer(String name, long bytes) {
        SharedBuffer buffer = SharedBuffer.create(directory.resolve(name), bytes);
        buffers.add(buffer);
        return buffer;
    }

    @Test
    void theChildWritesAndTheParentReadsAfterTheTask() {
        JvmPool pool = pool(1);
        SharedBuffer buffer = buffer("child-writes.bin", 4096);
        pool.submit(SharedBufferTasks.SetLong.class, new Slot(buffer, 4088, 0x1234_5678_9abcL)).join();
        assertEquals(0x1234_5678_9abcL, buffer.getLongVolatile(4088));
    }

    @Test
    void theParentWritesAndTheChildReads() {
        JvmPool pool = pool(1);
        SharedBuffer buffer = buffer("parent-writes.bin", 64);
        buffer.setLong(16, 42);   // a plain write: the run frame orders it
        assertEquals(42L, pool.submit(SharedBufferTasks.GetLong.class, new Slot(buffer, 16, 0)).join());
    }

    @Test
    void aBufferTheChildReturnsIsTheParentsOwnObject() {
        JvmPool pool = pool(1);
        SharedBuffer buffer = buffer("echo.bin", 64);
        assertSame(buffer, pool.submit(SharedBufferTasks.Echo.class, buffer).join());
    }

    @Test
    void theSameBufferTwiceInOneInputIsMappedTwiceAndBothWork() {
        JvmPool pool = pool(1);
        SharedBuffer buffer = buffer("pair.bin", 64);
        pool.submit(SharedBufferTasks.WritePair.class, new SharedBufferTasks.Pair(buffer, buffer)).join();
        assertEquals(1L, buffer.getLongVolatile(0));
        assertEquals(2L, buffer.getLongVolatile(8));
        assertEquals(0, mappings(pool));
    }

    @Test
    void aBufferInAMessageSentToTheTaskArrivesToo() {
        JvmPool pool = pool(1);
        SharedBuffer buffer = buffer("message.bin", 64);
        TaskHandle<Void> handle = pool.submit(SharedBufferTasks.ReceiveAndSet.class, "go");
        handle.send(new Slot(buffer, 8, 99));
        handle.join();
        assertEquals(99L, buffer.getLongVolatile(8));
        assertEquals(0, mappings(pool));
    }

    @Test
    void getAndAddFromTheParentAndTheChildAtOnceSumsUp() {
        JvmPool pool = pool(1);
        SharedBuffer buffer = buffer("adds.bin", 64);
        long times = 500_000;
        TaskHandle<Void> child = pool.submit(SharedBufferTasks.Add.class, new Slot(buffer, 8, times));
        SharedBufferTasks.rendezvous(buffer);
        for (long i = 0; i < times; i++) {
            buffer.getAndAddLong(8, 1);
        }
        child.join();
        assertEquals(2 * times, buffer.getLongVolatile(8));
    }

    @Test
    void twoChildrenAndTheParentAddToOneCounter() {
        JvmPool pool = pool(2);
        SharedBuffer buffer = buffer("three.bin", 64);
        long times = 200_000;
        // The two children meet at READY; the parent adds while they run.
        TaskHandle<Void> first = pool.submit(SharedBufferTasks.Add.class, new Slot(buffer, 8, times));
        TaskHandle<Void> second = pool.submit(SharedBufferTasks.Add.class, new Slot(buffer, 8, times));
        for (long i = 0; i < times; i++) {
            buffer.getAndAddLong(8, 1);
        }
        first.join();
        second.join();
        assertEquals(3 * times, buffer.getLongVolatile(8));
    }

    @Test
    void aChildWaitingInWaitForSeesTheParentsWriteAndNotify() {
        JvmPool pool = pool(1);
        SharedBuffer buffer = buffer("child-waits.bin", 64);
        TaskHandle<String> waiter = pool.submit(SharedBufferTasks.AwaitChange.class, new Slot(buffer, 0, 0));
        await("the child is about to wait").atMost(Duration.ofSeconds(30)).until(() -> buffer.getIntVolatile(4) == 1);
        long start = System.nanoTime();
        buffer.setIntVolatile(0, 1);
        buffer.notify(0, Integer.MAX_VALUE);
        String outcome = waiter.join();
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        // OK when it was waiting; NOT_EQUAL if the write came just before it began; never TIMED_OUT.
        assertTrue(outcome.equals("OK 1") || outcome.equals("NOT_EQUAL 1"), outcome);
        assertTrue(tookMillis < 10_000, "woke after " + tookMillis + " ms");
    }

    @Test
    void theParentWaitingInWaitForSeesTheChildsWrite() throws Exception {
        JvmPool pool = pool(1);
        SharedBuffer buffer = buffer("parent-waits.bin", 64);
        AtomicReference<SharedBuffer.WaitResult> result = new AtomicReference<>();
        Thread waiter = Thread.ofPlatform().start(() -> {
            try {
                result.set(buffer.waitFor(0, 0, Duration.ofSeconds(30)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            await("the parent waits").atMost(Duration.ofSeconds(10))
                    .until(() -> waiter.getState() == Thread.State.TIMED_WAITING || Arrays.stream(waiter.getStackTrace())
                            .anyMatch(frame -> frame.getClassName().endsWith(".Futex")));   // parked, or in futex(2)
            long start = System.nanoTime();
            pool.submit(SharedBufferTasks.SetAndNotify.class, new Slot(buffer, 0, 5)).join();
            waiter.join(Duration.ofSeconds(10));
            assertEquals(SharedBuffer.WaitResult.OK, result.get());
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos());
        } finally {
            waiter.interrupt();
            waiter.join();
        }
    }

    @Test
    void anAllocatedBufferIsRefusedBeforeAnythingIsSent() {
        JvmPool pool = pool(1);
        try (SharedBuffer anonymous = SharedBuffer.allocate(64)) {
            TaskFailedException failure = assertThrows(TaskFailedException.class,
                    pool.submit(SharedBufferTasks.Echo.class, anonymous)::join);
            assertTrue(failure.exceptionMessage().contains("SharedBuffer.allocate")
                    && failure.exceptionMessage().contains("cannot cross to another JVM"), failure.exceptionMessage());
            assertEquals(IllegalArgumentException.class.getName(), failure.exceptionClassName());
        }
        assertEquals(0, mappings(pool));   // the worker lives on
    }

    @Test
    void aClosedBufferIsRefused() {
        JvmPool pool = pool(1);
        SharedBuffer closed = buffer("closed.bin", 64);
        closed.close();
        TaskFailedException failure = assertThrows(TaskFailedException.class,
                pool.submit(SharedBufferTasks.Echo.class, closed)::join);
        assertTrue(failure.exceptionMessage().contains("is closed"), failure.exceptionMessage());
    }

    @Test
    void aSymbolicLinkToABufferFileIsRefusedByTheChild() throws IOException {
        JvmPool pool = pool(1);
        SharedBuffer buffer = buffer("target.bin", 64);
        Path link = Files.createSymbolicLink(directory.resolve("link.bin"), buffer.path());
        String message = refusedInChild(pool, forged(link, buffer.path()));
        assertTrue(message.contains("refused to map the shared buffer file " + link) && message.contains("symbolic link"),
                message);
        assertEquals(0, mappings(pool));
    }

    @Test
    void aSymbolicLinkToADirectoryOnThePathIsRefusedByTheChild() throws IOException {
        JvmPool pool = pool(1);
        SharedBuffer buffer = buffer("in-real-directory.bin", 64);
        Path linkedDirectory = Files.createSymbolicLink(directory.resolve("linked"), directory);
        String message = refusedInChild(pool, forged(linkedDirectory.resolve("in-real-directory.bin"), buffer.path()));
        assertTrue(message.contains("a directory on its path is a symbolic link"), message);
    }

    @Test
    void aFileThatIsNotTheParentsBufferIsRefusedByTheChild() throws IOException {
        JvmPool pool = pool(1);
        SharedBuffer buffer = buffer("real.bin", 64);
        SharedBuffer other = buffer("other.bin", 64);
        Map<String, Object> value = forged(other.path(), buffer.path());   // other's path, buffer's inode
        String message = refusedInChild(pool, value);
        assertTrue(message.contains("not the file the parent mapped"), message);
        Path plain = Files.writeString(directory.resolve("plain.txt"), "x".repeat(64));
        Files.setPosixFilePermissions(plain, PosixFilePermissions.fromString("rw-r--r--"));
        message = refusedInChild(pool, forged(plain, plain));
        assertTrue(message.contains("refused to map the shared buffer file " + plain), message);
        assertEquals(0, mappings(pool));
    }

    @Test
    void aChildCannotMakeTheParentMapAFileItNames() {
        JvmPool pool = pool(1);
        SharedBuffer neverSent = buffer("never-sent.bin", 64);
        TaskFailedException failure = assertThrows(TaskFailedException.class,
                pool.submit(SharedBufferTasks.JoinAndReturn.class, neverSent.path().toString())::join);
        assertTrue(failure.exceptionMessage().contains("a child may return only an open SharedBuffer this pool sent it"),
                failure.exceptionMessage());
    }

    @Test
    void noMappingIsLeftInTheChildAfterManyTasksHowEverTheyEnd() {
        JvmPool pool = pool(1);
        assumeTrue(Files.isReadable(Path.of("/proc/self/maps")), "needs /proc/<pid>/maps");
        SharedBuffer buffer = buffer("many.bin", 1 << 16);
        assertEquals(0, mappings(pool));
        assertEquals(1, pool.submit(SharedBufferTasks.MappingsWhileRunning.class, buffer).join(),
                "a running task's buffer is mapped once");
        for (int i = 0; i < 200; i++) {
            pool.submit(SharedBufferTasks.SetLong.class, new Slot(buffer, 8L * (i % 100), i)).join();
        }
        assertEquals(199L, buffer.getLongVolatile(8 * 99));
        assertThrows(TaskFailedException.class, pool.submit(SharedBufferTasks.WriteThenFail.class, buffer)::join);
        assertEquals(7L, buffer.getLongVolatile(0));
        assertEquals(0, mappings(pool));

        TaskHandle<Void> cancelled = pool.submit(SharedBufferTasks.WaitUntilCancelled.class, buffer);
        await("the task waits").atMost(Duration.ofSeconds(30)).until(() -> buffer.getIntVolatile(4) == 1);
        assertTrue(cancelled.cancel(true));
        assertThrows(CancellationException.class, cancelled::join);
        await("the cancelled task's mapping is gone").atMost(Duration.ofSeconds(30)).until(() -> mappings(pool) == 0);
    }

    @Test
    void aBufferATaskKeepsIsClosedWhenTheTaskEnds() {
        JvmPool pool = pool(1);
        SharedBuffer buffer = buffer("held.bin", 64);
        pool.submit(SharedBufferTasks.Hold.class, buffer).join();
        assertEquals("true", pool.submit(SharedBufferTasks.HeldIsClosed.class, "").join());
        assertTrue(!buffer.isClosed(), "the parent's buffer stays the user's");
        buffer.setLong(0, 1);
    }

    /** A mapper factory of the user's, with a naming of its own. */
    public static final class UserMapper implements Supplier<JsonMapper> {
        @Override
        public JsonMapper get() {
            return JsonMapper.builder().propertyNamingStrategy(tools.jackson.databind.PropertyNamingStrategies.SNAKE_CASE)
                    .build();
        }
    }

    @Test
    void theUsersMapperFactoryGetsTheBufferModuleOnBothSides() {
        JvmPool pool = JvmPool.builder().workers(1).objectMapper(UserMapper.class).build();
        pools.add(pool);
        SharedBuffer buffer = buffer("user-mapper.bin", 64);
        pool.submit(SharedBufferTasks.SetLong.class, new Slot(buffer, 24, 3)).join();
        assertEquals(3L, buffer.getLongVolatile(24));
        assertSame(buffer, pool.submit(SharedBufferTasks.Echo.class, buffer).join());
    }

    /** The wire form of a buffer, with one file's path and another's device and inode. */
    private static Map<String, Object> forged(Path path, Path identityOf) throws IOException {
        Map<String, Object> attributes = Files.readAttributes(identityOf, "unix:dev,ino,size", LinkOption.NOFOLLOW_LINKS);
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("sharedBuffer", path.toString());
        value.put("bytes", attributes.get("size"));
        value.put("device", attributes.get("dev"));
        value.put("inode", attributes.get("ino"));
        return value;
    }

    /** Sends a forged value as the input of a task that takes a SharedBuffer; the refusal's message. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static String refusedInChild(JvmPool pool, Map<String, Object> value) {
        Class<? extends Task<Object, Object>> echo = (Class) SharedBufferTasks.Echo.class;
        TaskFailedException failure = assertThrows(TaskFailedException.class, pool.submit(echo, value)::join);
        return failure.exceptionMessage();
    }

    private int mappings(JvmPool pool) {
        return pool.submit(SharedBufferTasks.Mappings.class, directory.toString()).join();
    }
}
