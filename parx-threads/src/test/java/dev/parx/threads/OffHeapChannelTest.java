package dev.parx.threads;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parx.ChannelClosedException;
import dev.parx.Codec;
import dev.parx.Codecs;
import dev.parx.testkit.Eventually;
import dev.parx.testkit.TestThreads;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the contract does not cover: codecs, sizes, the zero-copy path, failures and freeing. */
class OffHeapChannelTest {

    private final List<OffHeapChannel<?>> channels = new ArrayList<>();
    private final TestThreads threads = new TestThreads("channel-test");

    @AfterEach
    void stopThreadsAndClose() throws InterruptedException {
        threads.stopAll();
        for (OffHeapChannel<?> channel : channels) {
            channel.close();
            while (channel.poll(Duration.ZERO) != null) {
                // drained: the ring's memory is freed with the last message
            }
        }
    }

    private <T> OffHeapChannel<T> channel(String kind, long capacity, Codec<T> codec) {
        BiFunction<Long, Codec<T>, OffHeapChannel<T>> factory = "spsc".equals(kind) ? OffHeapChannel::spsc : OffHeapChannel::mpsc;
        OffHeapChannel<T> channel = factory.apply(capacity, codec);
        channels.add(channel);
        return channel;
    }


    @ParameterizedTest
    @ValueSource(strings = {"spsc", "mpsc"})
    void capacityIsRoundedUpAndHalfOfItIsTheLargestMessage(String kind) {
        OffHeapChannel<byte[]> channel = channel(kind, 1000, Codecs.bytes());
        assertEquals(1024, channel.capacityBytes());
        assertEquals(504, channel.maxMessageBytes());
        assertEquals(64, channel(kind, 1, Codecs.bytes()).capacityBytes());
        assertThrows(IllegalArgumentException.class, () -> OffHeapChannel.spsc(0, Codecs.bytes()));
        assertThrows(IllegalArgumentException.class, () -> OffHeapChannel.mpsc((1L << 30) + 1, Codecs.bytes()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"spsc", "mpsc"})
    void theLargestMessageFitsAndOneByteMoreIsRefused(String kind) throws Exception {
        OffHeapChannel<byte[]> channel = channel(kind, 1024, Codecs.bytes());
        byte[] largest = new byte[channel.maxMessageBytes()];
        largest[largest.length - 1] = 9;
        for (int i = 0; i < 10; i++) {   // at every position of the ring, with padding at the wrap
            channel.send(largest);
            assertArrayEquals(largest, channel.receive());
            channel.send(new byte[i * 3]);
            assertEquals(i * 3, channel.receive().length);
        }
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> channel.trySend(new byte[505]));
        assertTrue(refused.getMessage().contains("at most 504 bytes"), refused.getMessage());
        assertThrows(IllegalArgumentException.class, () -> channel.tryClaim(505));
    }

    @ParameterizedTest
    @ValueSource(strings = {"spsc", "mpsc"})
    @Timeout(60)
    void messagesOfRandomSizesCrossManyWrapsIntact(String kind) throws Exception {
        OffHeapChannel<byte[]> channel = channel(kind, 4096, Codecs.bytes());
        int count = 50_000;
        long seed = 42;
        CompletableFuture<Void> sent = threads.start(() -> {
            SplittableRandom random = new SplittableRandom(seed);
            for (int i = 0; i < count; i++) {
                channel.send(payload(random, channel.maxMessageBytes()));
            }
            return null;
        });
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < count; i++) {
            assertArrayEquals(payload(random, channel.maxMessageBytes()), channel.receive(), "message " + i);
        }
        sent.get(30, TimeUnit.SECONDS);
    }

    private static byte[] payload(SplittableRandom random, int max) {
        byte[] bytes = new byte[random.nextInt(random.nextBoolean() ? 40 : max + 1)];
        random.nextBytes(bytes);
        return bytes;
    }

    @ParameterizedTest
    @ValueSource(strings = {"spsc", "mpsc"})
    void everyStandardCodecRoundTrips(String kind) throws Exception {
        OffHeapChannel<String> strings = channel(kind, 4096, Codecs.strings());
        for (String text : List.of("", "plain", "grüße", "日本語", "emoji \uD83D\uDE00 pair")) {
            strings.send(text);
            assertEquals(text, strings.receive());
        }
        OffHeapChannel<Long> longs = channel(kind, 4096, Codecs.longs());
        longs.send(Long.MIN_VALUE);
        longs.send(7L);
        assertEquals(Long.MIN_VALUE, longs.receive());
        assertEquals(7L, longs.receive());
        OffHeapChannel<ByteBuffer> buffers = channel(kind, 4096, Codecs.byteBuffers());
        ByteBuffer source = ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5}).position(1);
        buffers.send(source);
        assertEquals(ByteBuffer.wrap(new byte[] {2, 3, 4, 5}), buffers.receive());
        assertEquals(1, source.position(), "encoding does not move the buffer");
    }

    @ParameterizedTest
    @ValueSource(strings = {"spsc", "mpsc"})
    void zeroCopyClaimsCommitAndAbort(String kind) throws Exception {
        OffHeapChannel<Long> channel = channel(kind, 256, Codecs.longs());
        MemorySegment first = channel.tryClaim(8);
        assertNotNull(first);
        first.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, 11L);
        channel.commit(first);
        MemorySegment dropped = channel.tryClaim(8);
        dropped.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, 12L);
        channel.abort(dropped);
        MemorySegment third = channel.tryClaim(8);
        third.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, 13L);
        channel.commit(third);
        assertEquals(11L, channel.receive());
        assertEquals(13L, channel.receive());
        assertNull(channel.poll(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> channel.commit(MemorySegment.ofArray(new byte[8])));
        int claimed = 0;
        while (channel.tryClaim(8) instanceof MemorySegment claim) {
            claim.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, claimed);
            channel.commit(claim);
            claimed++;
        }
        assertEquals(256 / 16, claimed, "a full ring refuses a claim with null");
    }

    @ParameterizedTest
    @ValueSource(strings = {"spsc", "mpsc"})
    void aCodecThatFailsLeavesTheChannelWorking(String kind) throws Exception {
        Codec<String> picky = new Codec<>() {
            @Override
            public int encodedSize(String value) {
                return Codecs.strings().encodedSize(value);
            }

            @Override
            public void encode(String value, MemorySegment target) {
                if (value.equals("bad")) {
                    throw new IllegalStateException("cannot encode bad");
                }
                Codecs.strings().encode(value, target);
            }

            @Override
            public String decode(MemorySegment source) {
                String value = Codecs.strings().decode(source);
                if (value.equals("ugly")) {
                    throw new IllegalArgumentException("cannot decode ugly");
                }
                return value;
            }
        };
        OffHeapChannel<String> channel = channel(kind, 1024, picky);
        assertThrows(IllegalStateException.class, () -> channel.send("bad"));
        channel.send("ugly");
        channel.send("good");
        assertThrows(IllegalArgumentException.class, channel::receive);
        assertEquals("good", channel.receive(), "the undecodable message was dropped, not retried");
    }

    @ParameterizedTest
    @ValueSource(strings = {"spsc", "mpsc"})
    void afterTheMemoryIsFreedEveryAccessIsAClosedError(String kind) throws Exception {
        OffHeapChannel<byte[]> channel = channel(kind, 1024, Codecs.bytes());
        channel.send(new byte[3]);
        channel.close();
        assertEquals(3, channel.receive().length);
        assertThrows(ChannelClosedException.class, channel::receive);   // drained: memory freed here
        assertThrows(ChannelClosedException.class, () -> channel.tryClaim(8));
        assertThrows(ChannelClosedException.class, () -> channel.send(new byte[1]));
        assertNull(channel.poll(Duration.ZERO));
        assertTrue(channel.toString().contains("closed"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"spsc", "mpsc"})
    @Timeout(60)
    void closingUnderFullTrafficOnlyEverThrowsChannelClosed(String kind) throws Exception {
        for (int attempt = 0; attempt < 20; attempt++) {
            OffHeapChannel<byte[]> channel = channel(kind, 1024, Codecs.bytes());
            CompletableFuture<Long> sender = threads.start(() -> {
                long sent = 0;
                try {
                    while (true) {
                        channel.send(new byte[(int) (sent % 100)]);
                        sent++;
                    }
                } catch (ChannelClosedException expected) {
                    return sent;
                }
            });
            AtomicLong progress = new AtomicLong();
            CompletableFuture<Long> receiver = threads.start(() -> {
                long received = 0;
                try {
                    while (true) {
                        assertEquals((int) (received % 100), channel.receive().length);
                        progress.lazySet(++received);
                    }
                } catch (ChannelClosedException expected) {
                    return received;
                }
            });
            // close at a different point of the traffic each time
            long target = 1 + attempt * 997L;
            Eventually.until("the receiver took " + target + " messages", Duration.ofSeconds(30),
                    () -> progress.get() >= target || sender.isDone() || receiver.isDone());
            channel.close();
            // a close racing with the other threads' accesses must not leave anyone interrupted
            assertFalse(Thread.currentThread().isInterrupted(), "close() left the closing thread interrupted");
            long sent = sender.get(10, TimeUnit.SECONDS);
            long received = receiver.get(10, TimeUnit.SECONDS);
            if ("mpsc".equals(kind)) {
                assertEquals(sent, received, "mpsc: every send that returned was received");
            } else {
                assertTrue(received <= sent + 1 && received >= sent - 1, sent + " sent, " + received + " received");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"spsc", "mpsc"})
    @Timeout(30)
    void anIdleReceiverParksInsteadOfSpinning(String kind) throws Exception {
        OffHeapChannel<byte[]> channel = channel(kind, 1024, Codecs.bytes());
        CompletableFuture<byte[]> received = threads.start(channel::receive);
        awaitParked(threads.last());
        assertTrue(channel.trySend(new byte[] {4}));
        assertArrayEquals(new byte[] {4}, received.get(10, TimeUnit.SECONDS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"spsc", "mpsc"})
    @Timeout(30)
    void aSenderBlockedOnAFullRingParksInsteadOfSpinning(String kind) throws Exception {
        OffHeapChannel<Long> channel = channel(kind, 1024, Codecs.longs());
        long queued = 0;
        while (channel.trySend(queued)) {
            queued++;
        }
        long last = queued;
        CompletableFuture<Void> sent = threads.start(() -> {
            channel.send(last);
            return null;
        });
        awaitParked(threads.last());
        for (long i = 0; i <= last; i++) {
            assertEquals(i, channel.receive());
        }
        sent.get(10, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"spsc", "mpsc"})
    @Timeout(30)
    void closeEndsASendBlockedOnAFullRing(String kind) throws Exception {
        OffHeapChannel<Long> channel = channel(kind, 1024, Codecs.longs());
        while (channel.trySend(1L)) {
            // fill it
        }
        CompletableFuture<Void> sent = threads.start(() -> {
            channel.send(2L);
            return null;
        });
        awaitParked(threads.last());
        channel.close();
        Throwable failure = assertThrows(Exception.class, () -> sent.get(10, TimeUnit.SECONDS)).getCause();
        assertInstanceOf(ChannelClosedException.class, failure);
    }

    /** Waits until the thread parks: a thread that spins or yields stays RUNNABLE. */
    private static void awaitParked(Thread thread) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> thread.getState() == Thread.State.TIMED_WAITING
                || thread.getState() == Thread.State.WAITING);
    }

    @Test
    @Timeout(60)
    void busySpinChannelsWork() throws Exception {
        OffHeapChannel<Long> channel = OffHeapChannel.mpsc(1024, Codecs.longs(), IdleStrategy.busySpin());
        channels.add(channel);
        CompletableFuture<Void> sent = threads.start(() -> {
            for (long i = 0; i < 100_000; i++) {
                channel.send(i);
            }
            return null;
        });
        for (long i = 0; i < 100_000; i++) {
            assertEquals(i, channel.receive());
        }
        sent.get(10, TimeUnit.SECONDS);
        channel.close();
        assertInstanceOf(ChannelClosedException.class, assertThrows(ChannelClosedException.class, channel::receive));
    }

    @Test
    void strategiesCheckTheirArguments() {
        assertThrows(IllegalArgumentException.class, () -> IdleStrategy.backoff(-1, 0, Duration.ofMillis(1)));
        assertThrows(IllegalArgumentException.class, () -> IdleStrategy.backoff(0, 0, Duration.ZERO));
        assertFalse(IdleStrategy.busySpin().mayPark());
        assertTrue(IdleStrategy.backoff().mayPark());
    }
}
