package dev.parx.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

import dev.parx.ChannelClosedException;
import dev.parx.testkit.TestThreads;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProcessChannelTest {

    private final List<ProcessChannel<?>> channels = new ArrayList<>();
    private final TestThreads threads = new TestThreads("channel-test");

    @AfterEach
    void closeEverything() throws InterruptedException {
        threads.stopAll();
        channels.forEach(ProcessChannel::close);
        Leaks.awaitNoChildren();
    }

    private ProcessChannel<byte[]> cat(int capacity) {
        ProcessChannel<byte[]> channel = ProcessChannel.frames(Command.of("cat"), capacity);
        channels.add(channel);
        return channel;
    }

    private static byte[] message(int sender, long sequence) {
        return ByteBuffer.allocate(16).putLong(sender).putLong(sequence).array();
    }


    private static int fill(ProcessChannel<byte[]> channel) {
        int queued = 0;
        while (channel.trySend(message(0, queued))) {
            queued++;
        }
        return queued;
    }

    @Test
    void framesArriveInOrderThroughTheProcess() throws Exception {
        ProcessChannel<byte[]> channel = cat(4096);
        int count = 5_000;
        CompletableFuture<Void> sent = threads.start(() -> {
            for (int i = 0; i < count; i++) {
                channel.send(message(0, i));
            }
            return null;
        });
        for (int i = 0; i < count; i++) {
            assertArrayEquals(message(0, i), channel.receive(), "message " + i);
        }
        sent.get(30, TimeUnit.SECONDS);
        assertNull(channel.poll(Duration.ZERO));
    }

    @Test
    void sendBlocksWhileFullAndResumesWhenAnAnswerIsReceived() throws Exception {
        ProcessChannel<byte[]> channel = cat(200);
        int queued = fill(channel);
        assertEquals(10, queued, "200 bytes hold ten 20-byte frames");
        CompletableFuture<Void> blocked = threads.start(() -> {
            channel.send(message(1, 0));
            return null;
        });
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5)).until(() -> !blocked.isDone());
        assertArrayEquals(message(0, 0), channel.receive());
        blocked.get(10, TimeUnit.SECONDS);
        for (int i = 1; i < queued; i++) {
            assertArrayEquals(message(0, i), channel.receive());
        }
        assertArrayEquals(message(1, 0), channel.receive());
    }

    @Test
    void pollAndTimedSendTimeOut() throws Exception {
        ProcessChannel<byte[]> channel = cat(100);
        assertNull(channel.poll(Duration.ofMillis(50)));
        fill(channel);
        assertFalse(channel.send(message(9, 9), Duration.ofMillis(50)));
        assertFalse(channel.trySend(message(9, 9)));
    }

    @Test
    void closeLetsReceiversDrainThenSignalsClosed() throws Exception {
        ProcessChannel<byte[]> channel = cat(4096);
        for (int i = 0; i < 3; i++) {
            channel.send(message(0, i));
        }
        channel.close();
        channel.close();
        assertTrue(channel.isClosed());
        assertThrows(ChannelClosedException.class, () -> channel.send(message(0, 3)));
        assertThrows(ChannelClosedException.class, () -> channel.trySend(message(0, 3)));
        assertArrayEquals(message(0, 0), channel.receive());
        assertArrayEquals(message(0, 1), channel.poll(Duration.ofSeconds(5)));
        assertArrayEquals(message(0, 2), channel.receive());
        assertThrows(ChannelClosedException.class, channel::receive);
        assertThrows(ChannelClosedException.class, channel::receive);
        assertNull(channel.poll(Duration.ofMillis(10)));
    }

    @Test
    void closeWakesAWaitingReceiver() {
        ProcessChannel<byte[]> channel = cat(4096);
        CompletableFuture<byte[]> received = threads.start(channel::receive);
        await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(5)).until(() -> !received.isDone());
        channel.close();
        ExecutionException e = assertThrows(ExecutionException.class, () -> received.get(10, TimeUnit.SECONDS));
        assertInstanceOf(ChannelClosedException.class, e.getCause());
    }

    @Test
    void blockedSendHonoursInterrupt() throws Exception {
        ProcessChannel<byte[]> channel = cat(100);
        int queued = fill(channel);
        CompletableFuture<Void> blocked = threads.start(() -> {
            channel.send(message(1, 0));
            return null;
        });
        await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(5)).until(() -> !blocked.isDone());
        threads.last().interrupt();
        ExecutionException e = assertThrows(ExecutionException.class, () -> blocked.get(10, TimeUnit.SECONDS));
        assertInstanceOf(InterruptedException.class, e.getCause());
        for (int i = 0; i < queued; i++) {
            assertArrayEquals(message(0, i), channel.receive());
        }
        assertNull(channel.poll(Duration.ofMillis(100)), "the interrupted send left nothing behind");
    }

    @Test
    void oversizedAndEmptyMessages() throws Exception {
        ProcessChannel<byte[]> channel = cat(64);
        assertThrows(IllegalArgumentException.class, () -> channel.send(new byte[61]));
        channel.send(new byte[0]);
        channel.send(message(0, 1));
        assertArrayEquals(new byte[0], channel.receive());
        assertArrayEquals(message(0, 1), channel.receive());
    }

    @Test
    void linesTalkToAFilter() throws Exception {
        ProcessChannel<String> channel = ProcessChannel.lines(
                Command.of("sh", "-c", "while IFS= read -r l; do printf '%s!\\n' \"$l\"; done"), 1024);
        channels.add(channel);
        for (String line : List.of("a", "b b", "é \"q\"")) {
            channel.send(line);
            assertEquals(line + "!", channel.receive());
        }
        assertThrows(IllegalArgumentException.class, () -> channel.send("two\nlines"));
    }

    @Test
    void aDeadProcessFailsSendsAndEndsReceives() throws Exception {
        ProcessChannel<byte[]> channel = ProcessChannel.frames(Command.of("true"), 4096);
        channels.add(channel);
        assertThrows(ChannelClosedException.class, channel::receive);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThrows(ChannelClosedException.class, () -> channel.send(new byte[1000])));
    }
}
