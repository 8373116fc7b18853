package dev.parx.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.parx.Channel;
import dev.parx.ChannelClosedException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The behaviour every {@link Channel} must show, as a JUnit Jupiter suite. An implementation
 * subclasses it, says how to make a channel of byte arrays, and inherits the tests:
 *
 * <pre>{@code
 * class MpscChannelTest extends ChannelContract {
 *     protected Channel<byte[]> newChannel(int capacityBytes) {
 *         return OffHeapChannel.mpsc(capacityBytes, Codecs.bytes());
 *     }
 *     protected boolean multipleSenders() {
 *         return true;
 *     }
 * }
 * }</pre>
 *
 * <p>Each test has a hard timeout, so a lost wake-up fails rather than hangs. Threads the suite
 * starts and channels it creates are stopped and closed after each test. The suite asserts no
 * timings: it runs the same on a loaded machine.
 */
public abstract class ChannelContract {

    /** Capacity asked of {@link #newChannel(int)} by most tests. */
    protected static final int CAPACITY = 4096;

    private static final int SENDERS = 4;

    private final TestThreads threads = new TestThreads("channel-contract");
    private final List<Channel<byte[]>> channels = new ArrayList<>();

    /** Creates the suite; subclasses need a public no-arg constructor, as JUnit requires. */
    protected ChannelContract() {
    }

    /**
     * Creates an open, empty channel that holds about {@code capacityBytes} bytes of messages.
     *
     * @param capacityBytes the capacity in bytes
     * @return a new channel; the suite closes it
     */
    protected abstract Channel<byte[]> newChannel(int capacityBytes);

    /**
     * Returns whether several threads may send at once; if not, the multi-sender tests are skipped.
     *
     * @return true for a multi-producer channel
     */
    protected abstract boolean multipleSenders();

    /**
     * Returns a message size that a channel made by {@code newChannel(capacityBytes)} must refuse
     * with {@link IllegalArgumentException}, or -1 if the implementation has no such limit.
     *
     * @param capacityBytes the capacity given to {@link #newChannel(int)}
     * @return bytes, or -1
     */
    protected int oversizedMessageBytes(int capacityBytes) {
        return capacityBytes + 1;
    }

    /**
     * Returns how many messages each sender sends in the volume tests; override to go bigger.
     *
     * @return a count
     */
    protected int messagesPerSender() {
        return 20_000;
    }

    /**
     * Stops the threads a test started, fails if one does not stop, then closes and drains every
     * channel.
     *
     * @throws InterruptedException if interrupted while joining
     */
    @AfterEach
    protected void stopThreadsAndCloseChannels() throws InterruptedException {
        threads.stopAll();
        for (Channel<byte[]> channel : channels) {
            channel.close();
            // drain what a test left, so that a channel that frees its memory when drained does so now
            for (int left = 0; channel.poll(Duration.ZERO) != null; left++) {
                assertTrue(left < 10_000_000, "a closed channel kept returning messages");
            }
        }
    }

    /**
     * Messages from one sender arrive in the order it sent them, intact.
     *
     * @throws Exception on failure
     */
    @Test
    @Timeout(60)
    public void messagesFromOneSenderArriveInOrder() throws Exception {
        Channel<byte[]> channel = channel(CAPACITY);
        int count = messagesPerSender();
        CompletableFuture<Void> sent = startSender(channel, 0, count);
        for (int i = 0; i < count; i++) {
            assertArrayEquals(message(0, i), channel.receive(), "message " + i);
        }
        sent.get(30, TimeUnit.SECONDS);
        assertNull(channel.poll(Duration.ZERO), "nothing beyond what was sent");
    }

    /**
     * With four senders at once, every message arrives exactly once, in order per sender.
     *
     * @throws Exception on failure
     */
    @Test
    @Timeout(120)
    public void fourSendersLoseAndDuplicateNothing() throws Exception {
        assumeTrue(multipleSenders(), "a single-sender channel");
        Channel<byte[]> channel = channel(CAPACITY);
        int count = messagesPerSender();
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int sender = 0; sender < SENDERS; sender++) {
            sent.add(startSender(channel, sender, count));
        }
        long[] next = new long[SENDERS];
        for (int i = 0; i < SENDERS * count; i++) {
            ByteBuffer message = ByteBuffer.wrap(channel.receive());
            int sender = (int) message.getLong();
            long sequence = message.getLong();
            assertEquals(next[sender], sequence, "next message of sender " + sender);
            next[sender]++;
        }
        for (CompletableFuture<Void> done : sent) {
            done.get(30, TimeUnit.SECONDS);
        }
        assertArrayEquals(new long[] {count, count, count, count}, next);
        assertNull(channel.poll(Duration.ZERO), "nothing beyond what was sent");
    }

    /**
     * A full channel makes {@code send} wait; taking one message lets it finish.
     *
     * @throws Exception on failure
     */
    @Test
    @Timeout(30)
    public void sendBlocksWhileFullAndResumesWhenRoomFrees() throws Exception {
        Channel<byte[]> channel = channel(CAPACITY);
        int queued = fill(channel);
        CompletableFuture<Void> blocked = startSender(channel, 1, 1);
        Eventually.holdsFor("blocked still waiting", Duration.ofMillis(200), () -> !blocked.isDone());
        assertArrayEquals(message(0, 0), channel.receive());
        blocked.get(10, TimeUnit.SECONDS);
        for (int i = 1; i < queued; i++) {
            assertArrayEquals(message(0, i), channel.receive());
        }
        assertArrayEquals(message(1, 0), channel.receive(), "the message that waited");
    }

    /**
     * {@code poll} on an empty channel and a timed {@code send} on a full one give up.
     *
     * @throws Exception on failure
     */
    @Test
    @Timeout(30)
    public void pollAndTimedSendTimeOut() throws Exception {
        Channel<byte[]> channel = channel(CAPACITY);
        assertNull(channel.poll(Duration.ofMillis(50)));
        assertNull(channel.poll(Duration.ZERO));
        fill(channel);
        assertFalse(channel.send(message(9, 9), Duration.ofMillis(50)));
        assertFalse(channel.trySend(message(9, 9)));
    }

    /**
     * After close, sends fail, receivers take what is left, then see the channel closed.
     *
     * @throws Exception on failure
     */
    @Test
    @Timeout(30)
    public void closeLetsReceiversDrainThenSignalsClosed() throws Exception {
        Channel<byte[]> channel = channel(CAPACITY);
        for (int i = 0; i < 3; i++) {
            channel.send(message(0, i));
        }
        channel.close();
        channel.close();   // idempotent
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

    /**
     * A receiver waiting on an empty channel is woken by {@code close}.
     *
     * @throws Exception on failure
     */
    @Test
    @Timeout(30)
    public void closeWakesAWaitingReceiver() throws Exception {
        Channel<byte[]> channel = channel(CAPACITY);
        CompletableFuture<byte[]> received = startReceiver(channel);
        Eventually.holdsFor("received still waiting", Duration.ofMillis(100), () -> !received.isDone());
        channel.close();
        Throwable failure = assertThrows(Exception.class, () -> received.get(10, TimeUnit.SECONDS)).getCause();
        assertInstanceOf(ChannelClosedException.class, failure);
    }

    /**
     * A receiver blocked on an empty channel honours interruption.
     *
     * @throws Exception on failure
     */
    @Test
    @Timeout(30)
    public void blockedReceiveHonoursInterrupt() throws Exception {
        Channel<byte[]> channel = channel(CAPACITY);
        CompletableFuture<byte[]> received = startReceiver(channel);
        Eventually.holdsFor("received still waiting", Duration.ofMillis(100), () -> !received.isDone());
        threads.last().interrupt();
        Throwable failure = assertThrows(Exception.class, () -> received.get(10, TimeUnit.SECONDS)).getCause();
        assertInstanceOf(InterruptedException.class, failure);
    }

    /**
     * A sender blocked on a full channel honours interruption, and its message is not sent.
     *
     * @throws Exception on failure
     */
    @Test
    @Timeout(30)
    public void blockedSendHonoursInterrupt() throws Exception {
        Channel<byte[]> channel = channel(CAPACITY);
        int queued = fill(channel);
        CompletableFuture<Void> blocked = startSender(channel, 1, 1);
        Eventually.holdsFor("blocked still waiting", Duration.ofMillis(100), () -> !blocked.isDone());
        threads.last().interrupt();
        Throwable failure = assertThrows(Exception.class, () -> blocked.get(10, TimeUnit.SECONDS)).getCause();
        assertInstanceOf(InterruptedException.class, failure);
        for (int i = 0; i < queued; i++) {
            assertArrayEquals(message(0, i), channel.receive());
        }
        assertNull(channel.poll(Duration.ZERO), "the interrupted send left nothing behind");
    }

    /**
     * A message that can never fit is refused at once, and the channel stays usable.
     *
     * @throws Exception on failure
     */
    @Test
    @Timeout(30)
    public void oversizedMessageIsRefusedClearly() throws Exception {
        int size = oversizedMessageBytes(CAPACITY);
        assumeTrue(size > 0, "no size limit");
        Channel<byte[]> channel = channel(CAPACITY);
        byte[] huge = new byte[size];
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> channel.send(huge));
        assertTrue(refused.getMessage() != null && !refused.getMessage().isBlank(), "says why");
        assertThrows(IllegalArgumentException.class, () -> channel.trySend(huge));
        assertThrows(IllegalArgumentException.class, () -> channel.send(huge, Duration.ofSeconds(1)));
        channel.send(message(0, 0));
        assertArrayEquals(message(0, 0), channel.receive());
    }

    /**
     * Two threads bounce a message back and forth over two channels; each side waits on every
     * round, so a lost wake-up hangs the test into its timeout.
     *
     * @throws Exception on failure
     */
    @Test
    @Timeout(60)
    public void pingPongNeverLosesAWakeUp() throws Exception {
        Channel<byte[]> ping = channel(CAPACITY);
        Channel<byte[]> pong = channel(CAPACITY);
        int rounds = 5_000;
        CompletableFuture<Void> echo = start(() -> {
            for (int i = 0; i < rounds; i++) {
                pong.send(ping.receive());
            }
            return null;
        });
        for (int i = 0; i < rounds; i++) {
            ping.send(message(0, i));
            assertArrayEquals(message(0, i), pong.receive());
        }
        echo.get(10, TimeUnit.SECONDS);
    }

    /**
     * Empty messages are legal and arrive empty.
     *
     * @throws Exception on failure
     */
    @Test
    @Timeout(30)
    public void emptyMessagesArrive() throws Exception {
        Channel<byte[]> channel = channel(CAPACITY);
        channel.send(new byte[0]);
        channel.send(message(0, 1));
        assertArrayEquals(new byte[0], channel.receive());
        assertArrayEquals(message(0, 1), channel.receive());
    }

    /**
     * Returns the 16-byte message a sender sends as its {@code sequence}-th.
     *
     * @param sender the sender number
     * @param sequence the sequence number
     * @return the bytes
     */
    protected static byte[] message(int sender, long sequence) {
        return ByteBuffer.allocate(16).putLong(sender).putLong(sequence).array();
    }

    /**
     * Creates a channel through {@link #newChannel(int)} and closes it after the test.
     *
     * @param capacityBytes the capacity
     * @return the channel
     */
    protected final Channel<byte[]> channel(int capacityBytes) {
        Channel<byte[]> channel = newChannel(capacityBytes);
        channels.add(channel);
        return channel;
    }

    /**
     * Starts a platform thread that is interrupted and joined after the test.
     *
     * @param body what it runs
     * @param <V> the result type
     * @return its result or failure
     */
    protected final <V> CompletableFuture<V> start(Callable<V> body) {
        return threads.start(body);
    }

    private CompletableFuture<Void> startSender(Channel<byte[]> channel, int sender, int count) {
        return start(() -> {
            for (int i = 0; i < count; i++) {
                channel.send(message(sender, i));
            }
            return null;
        });
    }

    private CompletableFuture<byte[]> startReceiver(Channel<byte[]> channel) {
        return start(channel::receive);
    }

    /** Fills the channel with messages of sender 0 and returns how many it took. */
    private static int fill(Channel<byte[]> channel) {
        int queued = 0;
        while (channel.trySend(message(0, queued))) {
            queued++;
            assertTrue(queued < 10_000_000, "a bounded channel took ten million messages");
        }
        assertTrue(queued > 0, "an empty channel refused a small message");
        return queued;
    }

}
