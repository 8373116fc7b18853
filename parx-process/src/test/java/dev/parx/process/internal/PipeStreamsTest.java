package dev.parx.process.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.parx.testkit.TestThreads;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The pipe streams of natively spawned commands never let a descriptor number be reused under a call. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PipeStreamsTest {

    private final TestThreads threads = new TestThreads("pipe-test");

    @BeforeEach
    void onlyWithNativeSpawn() {
        assumeTrue(NativeSpawn.available(), "the pipe streams serve posix_spawn: " + NativeSpawn.unavailableReason());
    }

    @AfterEach
    void stopThreads() throws InterruptedException {
        threads.stopAll();
    }

    @Test
    void closingDuringAWriteLetsTheWriteFinishOnThePipeAndNowhereElse(@TempDir Path dir) throws Exception {
        int[] pipe = LibC.pipe();
        InputStream in = PipeStreams.input(pipe[0]);
        OutputStream out = PipeStreams.output(pipe[1]);
        byte[] data = new byte[1 << 20];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        CompletableFuture<Object> writer = threads.start(() -> {
            out.write(data);
            return null;
        });
        // Full pipe: the writer is blocked in write(2), or between two of its writes.
        await().atMost(Duration.ofSeconds(10)).until(() -> LibC.available(pipe[0]) >= 64 * 1024);
        out.close();
        // Were the descriptor closed now, these would take its number and the rest of the write.
        List<Path> decoys = new ArrayList<>();
        List<FileOutputStream> opened = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            decoys.add(dir.resolve("decoy" + i));
            opened.add(new FileOutputStream(decoys.getLast().toFile()));
        }
        try {
            byte[] received = in.readAllBytes(); // end-of-file once the writer's call released the descriptor
            writer.get(10, TimeUnit.SECONDS);
            assertArrayEquals(data, received);
        } finally {
            for (FileOutputStream decoy : opened) {
                decoy.close();
            }
            in.close();
        }
        for (Path decoy : decoys) {
            assertEquals(0, Files.size(decoy), decoy + " received bytes meant for the pipe");
        }
    }

    @Test
    void closingDuringABlockedReadClosesTheDescriptorWhenTheReadReturns() throws Exception {
        int[] pipe = LibC.pipe();
        InputStream in = PipeStreams.input(pipe[0]);
        OutputStream out = PipeStreams.output(pipe[1]);
        Path fd = Path.of("/proc/self/fd", Integer.toString(pipe[0]));
        String thePipe = link(fd);
        long blockedBefore = threadsBlockedOnPipes();
        CompletableFuture<Integer> reader = threads.start(in::read);
        await().atMost(Duration.ofSeconds(10)).until(() -> threadsBlockedOnPipes() > blockedBefore);
        in.close();
        assertEquals(thePipe, link(fd), "closed under a blocked read");
        out.write(42);
        assertEquals(42, reader.get(10, TimeUnit.SECONDS));
        await().atMost(Duration.ofSeconds(10)).until(() -> !thePipe.equals(link(fd)));
        IOException closed = assertThrows(IOException.class, in::read);
        assertEquals("Stream closed", closed.getMessage());
        out.close();
    }

    @Test
    void waitStatusesDecodeAsTheJdkReportsThem() {
        assertEquals(0, LibC.exitCode(0));
        assertEquals(3, LibC.exitCode(3 << 8));
        assertEquals(128 + 9, LibC.exitCode(9));
        assertEquals(128 + 15, LibC.exitCode(15));
        assertEquals(128 + 11, LibC.exitCode(0x80 | 11), "a core dump does not change the code");
    }

    private static String link(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString();
        } catch (IOException e) {
            return "closed";
        }
    }

    private static long threadsBlockedOnPipes() throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            return tasks.filter(task -> {
                try {
                    return Files.readString(task.resolve("wchan")).contains("pipe");
                } catch (IOException e) {
                    return false;
                }
            }).count();
        }
    }
}
