package dev.parx.threads;

import dev.parx.Channel;
import dev.parx.ChannelClosedException;
import dev.parx.Codec;
import dev.parx.threads.internal.MpscRing;
import dev.parx.threads.internal.Ring;
import dev.parx.threads.internal.SharedArena;
import dev.parx.threads.internal.SpscRing;
import dev.parx.threads.internal.WakeUps;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded {@link Channel} whose messages live in a ring of native memory outside the Java heap:
 * variable-length records, encoded by a {@link Codec} straight into the ring and decoded straight
 * out of it.
 *
 * <pre>{@code
 * try (OffHeapChannel<String> lines = OffHeapChannel.spsc(1 << 16, Codecs.strings())) {
 *     Thread producer = Thread.ofPlatform().start(() -> {
 *         try {
 *             for (String line : input) {
 *                 lines.send(line);          // waits while the ring is full
 *             }
 *         } catch (InterruptedException e) {
 *             Thread.currentThread().interrupt();
 *         } finally {
 *             lines.close();                 // the receiver drains, then sees ChannelClosedException
 *         }
 *     });
 *     try {
 *         while (true) {
 *             handle(lines.receive());
 *         }
 *     } catch (ChannelClosedException done) {
 *         // every line was received
 *     }
 * }
 * }</pre>
 *
 * <h2>Threading contract</h2>
 * The factory names it. {@link #spsc} channels take one sender thread and one receiver thread at a
 * time; {@link #mpsc} channels take any number of sender threads and one receiver thread at a time.
 * "At a time" means the calls of the sending (or receiving) side must not overlap: a different thread
 * may take over a side after a happens-before edge (a join, a lock, a volatile write). {@link #close()}
 * and {@link #isClosed()} may be called by any thread. If the contract is broken (two threads
 * receiving at once, or two sending on an spsc channel), messages may be lost, duplicated or
 * garbled, but every access stays bounds-checked: it never corrupts other memory or crashes the JVM.
 *
 * <h2>Memory visibility</h2>
 * Everything a sender did before {@code send} (or {@link #commit}) returned happens-before what the
 * receiver does after the {@code receive} or {@code poll} that returns that message.
 *
 * <h2>Waiting</h2>
 * A receiver on an empty ring and a sender on a full ring wait as the {@link IdleStrategy} says
 * (by default: spin, yield, then park without burning a core). A parked receiver is woken by the
 * next commit. Parked senders are woken together once a quarter of the ring is free, rather than
 * for every message taken, as long as the receiver keeps taking messages (they check every 10 ms at
 * most); once it stops, a parked sender is woken as soon as its message fits. Interrupts and
 * {@link #close()} wake both sides. The wake-up protocol adds no fence to a message: what a sender
 * or receiver checks after each message is a plain load. In return, a wake-up that races with a
 * waiter's announcement can be missed, so no park is unbounded: a waiter looks at the ring again
 * after 200 us, then after twice as long each time, up to 100 ms. Such a message arrives late,
 * never not at all.
 *
 * <h2>Size limit</h2>
 * The capacity is rounded up to a power of two. A message takes its encoded size plus an 8-byte
 * header, rounded up to 8 bytes; it may be at most {@link #maxMessageBytes()} (half the ring,
 * less the header), and a larger one is refused with {@link IllegalArgumentException} at once.
 *
 * <h2>Closing</h2>
 * {@link #close()} refuses further sends with {@link ChannelClosedException} and wakes every
 * waiting thread; the receiver drains what is left, then gets {@link ChannelClosedException} (or
 * {@code null} from {@link #poll}). The native memory is freed exactly once: at {@code close()} if
 * the ring is empty, else when the receiver takes the last message; a channel that is dropped
 * without being closed is freed when it becomes unreachable. On an mpsc channel a send that races
 * with {@code close()} either delivers its message or throws; on an spsc channel closed by a thread
 * other than its sender, such a racing send may also be dropped, so close an spsc channel from the
 * sender after its last send, as above.
 *
 * @param <T> the message type
 */
public final class OffHeapChannel<T> implements Channel<T> {

    private static final Logger LOG = LoggerFactory.getLogger(OffHeapChannel.class);

    private final String kind;
    private final Codec<T> codec;
    private final IdleStrategy idle;
    private final SharedArena memory;
    private final Ring ring;
    private final MemorySegment records;

    private final WakeUps wakeUps;
    private volatile boolean closed;

    private OffHeapChannel(String kind, long capacityBytes, Codec<T> codec, IdleStrategy idle) {
        this(kind, capacityBytes, codec, idle, "spsc".equals(kind) ? SpscRing::new : MpscRing::new);
    }

    /** Over the ring that {@code rings} makes in the channel's arena: the tests' broken copies. */
    OffHeapChannel(String kind, long capacityBytes, Codec<T> codec, IdleStrategy idle,
            BiFunction<Arena, Integer, Ring> rings) {
        this(kind, capacityBytes, codec, idle, rings, new WakeUps(idle.mayPark()));
    }

    /** Over the ring that {@code rings} makes, with the given wake-ups: the tests' broken or unbounded ones. */
    OffHeapChannel(String kind, long capacityBytes, Codec<T> codec, IdleStrategy idle,
            BiFunction<Arena, Integer, Ring> rings, WakeUps wakeUps) {
        this.kind = kind;
        this.codec = Objects.requireNonNull(codec, "codec");
        this.idle = Objects.requireNonNull(idle, "idle");
        this.wakeUps = wakeUps;
        int capacity = Ring.capacityFor(capacityBytes);
        this.memory = SharedArena.forOwner(this, kind + " channel of " + capacity + " bytes");
        try {
            this.ring = rings.apply(memory.arena(), capacity);
        } catch (RuntimeException | Error e) {
            memory.free();
            throw e;
        }
        this.records = ring.segment();
    }

    /**
     * Creates a channel for one sender thread and one receiver thread, with the default
     * {@link IdleStrategy#backoff()}.
     *
     * @param capacityBytes the ring size in bytes, rounded up to a power of two (at least 64, at
     *     most 2^30)
     * @param codec turns messages into bytes and back
     * @param <T> the message type
     * @return the channel; close it to free its native memory
     * @throws IllegalArgumentException if {@code capacityBytes} is out of range
     */
    public static <T> OffHeapChannel<T> spsc(long capacityBytes, Codec<T> codec) {
        return new OffHeapChannel<>("spsc", capacityBytes, codec, IdleStrategy.backoff());
    }

    /**
     * Creates a channel for one sender thread and one receiver thread.
     *
     * @param capacityBytes the ring size in bytes, rounded up to a power of two
     * @param codec turns messages into bytes and back
     * @param idle how waiting threads wait
     * @param <T> the message type
     * @return the channel; close it to free its native memory
     * @throws IllegalArgumentException if {@code capacityBytes} is out of range
     */
    public static <T> OffHeapChannel<T> spsc(long capacityBytes, Codec<T> codec, IdleStrategy idle) {
        return new OffHeapChannel<>("spsc", capacityBytes, codec, idle);
    }

    /**
     * Creates a channel for any number of sender threads and one receiver thread, with the default
     * {@link IdleStrategy#backoff()}.
     *
     * @param capacityBytes the ring size in bytes, rounded up to a power of two (at least 64, at
     *     most 2^30)
     * @param codec turns messages into bytes and back
     * @param <T> the message type
     * @return the channel; close it to free its native memory
     * @throws IllegalArgumentException if {@code capacityBytes} is out of range
     */
    public static <T> OffHeapChannel<T> mpsc(long capacityBytes, Codec<T> codec) {
        return new OffHeapChannel<>("mpsc", capacityBytes, codec, IdleStrategy.backoff());
    }

    /**
     * Creates a channel for any number of sender threads and one receiver thread.
     *
     * @param capacityBytes the ring size in bytes, rounded up to a power of two
     * @param codec turns messages into bytes and back
     * @param idle how waiting threads wait
     * @param <T> the message type
     * @return the channel; close it to free its native memory
     * @throws IllegalArgumentException if {@code capacityBytes} is out of range
     */
    public static <T> OffHeapChannel<T> mpsc(long capacityBytes, Codec<T> codec, IdleStrategy idle) {
        return new OffHeapChannel<>("mpsc", capacityBytes, codec, idle);
    }

    /**
     * Returns the ring's size in bytes (the requested capacity rounded up to a power of two).
     *
     * @return bytes
     */
    public int capacityBytes() {
        return ring.capacity();
    }

    /**
     * Returns the largest encoded message this channel takes.
     *
     * @return bytes
     */
    public int maxMessageBytes() {
        return ring.maxPayload();
    }

    @Override
    public void send(T message) throws InterruptedException {
        send(message, -1);
    }

    @Override
    public boolean trySend(T message) {
        try {
            return send(message, 0);
        } catch (InterruptedException cannotHappen) {
            throw new AssertionError(cannotHappen);
        }
    }

    @Override
    public boolean send(T message, Duration timeout) throws InterruptedException {
        return send(message, Math.max(0, timeout.toNanos()));
    }

    /** Sends, waiting forever ({@code timeoutNanos < 0}), not at all (0), or that long. */
    private boolean send(T message, long timeoutNanos) throws InterruptedException {
        Objects.requireNonNull(message, "message");
        int length = codec.encodedSize(message);
        ring.checkPayload(length);
        boolean wasInterrupted = Thread.currentThread().isInterrupted();
        long index;
        try {
            index = claim(length);
        } catch (IllegalStateException e) {
            throw translate(e, "send", wasInterrupted);
        }
        if (index < 0) {
            if (timeoutNanos == 0) {
                return false;
            }
            index = awaitRoom(length, timeoutNanos, wasInterrupted);
            if (index < 0) {
                return false;
            }
        }
        try {
            write(index, length, message);
            return true;
        } catch (IllegalStateException e) {
            throw translate(e, "send", wasInterrupted);
        }
    }

    /**
     * Waits until a claim succeeds: its index, or -1 after the timeout. A parked sender first waits
     * for a batch of room (its record plus a quarter of the ring), which the receiver wakes it for,
     * as long as the receiver's head moves between two of its looks; once the head stops short of
     * that, it waits for room for its record only, so that a receiver that took a few messages and
     * stopped never leaves it waiting for room that is already there.
     */
    private long awaitRoom(int length, long timeoutNanos, boolean wasInterrupted) throws InterruptedException {
        long start = timeoutNanos > 0 ? System.nanoTime() : 0;
        int parks = 0;
        int parksInPhase = 0;
        boolean batch = true;
        long seenHead = 0;
        try {
            for (int round = 0; ; round++) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted while waiting for room in the " + this);
                }
                long remaining = timeoutNanos < 0 ? Long.MAX_VALUE : timeoutNanos - (System.nanoTime() - start);
                if (remaining <= 0) {
                    return -1;
                }
                long park = idle.idle(round);
                if (park > 0) {
                    if (parks++ == 0) {
                        wakeUps.senderWaits();
                        seenHead = ring.headPosition();
                    }
                    long wakeAt = batch ? ring.wakePosition(length) : ring.fitPosition(length);
                    long bound = wakeUps.senderParkLimit(parksInPhase++, batch);
                    wakeUps.parkSender(() -> closed || ring.headPosition() >= wakeAt,
                            Math.min(park, Math.min(bound, remaining)), wakeAt);
                    long head = ring.headPosition();
                    if (batch && head < wakeAt && !closed) {
                        if (head != seenHead) {
                            seenHead = head;
                            continue;   // the receiver is taking messages: it wakes this sender at wakeAt
                        }
                        batch = false;   // it stopped short of the batch: any room will do
                        parksInPhase = 0;
                    }
                }
                long index = claim(length);
                if (index >= 0) {
                    return index;
                }
            }
        } catch (IllegalStateException e) {
            throw translate(e, "send", wasInterrupted);
        } finally {
            if (parks > 0) {
                wakeUps.senderDone();
            }
        }
    }

    /**
     * Claims room for {@code length} bytes written in place, without waiting: the zero-copy path.
     * Write the payload into the returned segment, then {@link #commit} it (or {@link #abort} it);
     * the receiver decodes it with this channel's codec. Sender side: a sender holds at most one
     * claim at a time, and an spsc channel's other sends wait for it.
     *
     * <pre>{@code
     * MemorySegment claim = channel.tryClaim(16);
     * if (claim != null) {
     *     claim.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, id);
     *     claim.set(ValueLayout.JAVA_LONG_UNALIGNED, 8, value);
     *     channel.commit(claim);
     * }
     * }</pre>
     *
     * @param length the payload length in bytes
     * @return a segment of exactly {@code length} bytes inside the ring, or null if the ring is full;
     *     it is valid until committed or aborted, and accessing it after the channel's memory was
     *     freed throws {@link IllegalStateException}
     * @throws ChannelClosedException if the channel is closed
     * @throws IllegalArgumentException if {@code length} can never fit
     */
    public MemorySegment tryClaim(int length) {
        ring.checkPayload(length);
        boolean wasInterrupted = Thread.currentThread().isInterrupted();
        try {
            long index = claim(length);
            return index < 0 ? null : records.asSlice(index + Ring.HEADER, length);
        } catch (IllegalStateException e) {
            throw translate(e, "claim", wasInterrupted);
        }
    }

    /**
     * Publishes a segment from {@link #tryClaim} to the receiver.
     *
     * @param claim the claimed segment, filled in
     * @throws IllegalArgumentException if it is not a claim of this channel
     * @throws ChannelClosedException if the channel's memory was freed meanwhile
     */
    public void commit(MemorySegment claim) {
        long index = claimIndex(claim);
        boolean wasInterrupted = Thread.currentThread().isInterrupted();
        try {
            ring.commit(index, (int) claim.byteSize());
            wakeUps.afterSend();
        } catch (IllegalStateException e) {
            throw translate(e, "commit", wasInterrupted);
        }
    }

    /**
     * Gives up a segment from {@link #tryClaim}; the receiver never sees it.
     *
     * @param claim the claimed segment
     * @throws IllegalArgumentException if it is not a claim of this channel
     * @throws ChannelClosedException if the channel's memory was freed meanwhile
     */
    public void abort(MemorySegment claim) {
        long index = claimIndex(claim);
        boolean wasInterrupted = Thread.currentThread().isInterrupted();
        try {
            ring.abort(index, (int) claim.byteSize());
            wakeUps.afterSend();
        } catch (IllegalStateException e) {
            throw translate(e, "abort", wasInterrupted);
        }
    }

    @Override
    public T receive() throws InterruptedException {
        return receive(-1, true);
    }

    @Override
    public T poll(Duration timeout) throws InterruptedException {
        return receive(Math.max(0, timeout.toNanos()), false);
    }

    /** Receives, waiting forever ({@code timeoutNanos < 0}), not at all (0), or that long. */
    private T receive(long timeoutNanos, boolean throwWhenDone) throws InterruptedException {
        boolean wasInterrupted = Thread.currentThread().isInterrupted();
        long start = timeoutNanos > 0 ? System.nanoTime() : 0;
        int parks = 0;
        try {
            for (int round = 0; ; round++) {
                if (memory.isFreed()) {
                    return done(throwWhenDone);
                }
                long index = ring.next();
                if (index >= 0) {
                    return take(index, wasInterrupted);
                }
                // an mpsc claim that won before close() is still committed or aborted: wait for it
                if (closed && ring.isEmpty()) {
                    memory.free();
                    return done(throwWhenDone);
                }
                if (round == 0) {
                    // a padding record skipped on the way may have taken the head past where senders wait
                    wakeUps.afterReceive(ring.receiverHead());
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted while waiting for a message on the " + this);
                }
                long remaining = timeoutNanos < 0 ? Long.MAX_VALUE : timeoutNanos - (System.nanoTime() - start);
                if (remaining <= 0) {
                    return null;
                }
                long park = idle.idle(round);
                if (park > 0) {
                    long bound = Math.min(Math.min(park, remaining), wakeUps.receiverParkLimit(parks));
                    wakeUps.parkReceiver(() -> closed || ring.hasCommitted(), bound, parks++ == 0);
                }
            }
        } catch (IllegalStateException e) {
            if (memory.isFreed()) {
                clearSpuriousInterrupt(wasInterrupted);
                return done(throwWhenDone);
            }
            throw e;
        } finally {
            if (parks > 0) {
                wakeUps.receiverDone();
            }
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        boolean wasInterrupted = Thread.currentThread().isInterrupted();
        try {
            ring.closeToSenders();
            // closed is volatile: the fence of its store orders it before these reads (Dekker)
            wakeUps.wakeEveryone();
            if (ring.isEmpty()) {
                memory.free();
            }
        } catch (IllegalStateException alreadyFreed) {
            // a receiver drained and freed the ring first: nothing left to do
            clearSpuriousInterrupt(wasInterrupted);
        }
        LOG.debug("closed {}", this);
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return "OffHeapChannel." + kind + "(" + ring.capacity() + " bytes" + (closed ? ", closed" : "") + ")";
    }

    private long claim(int length) {
        if (closed) {
            throw new ChannelClosedException("cannot send: the " + this + " is closed");
        }
        long index = ring.tryClaim(length);
        if (index == Ring.CLOSED) {
            throw new ChannelClosedException("cannot send: the " + this + " is closed");
        }
        return index;
    }

    private void write(long index, int length, T message) {
        try {
            codec.encode(message, records, index + Ring.HEADER, length);
        } catch (RuntimeException | Error e) {
            ring.abort(index, length);   // else an mpsc receiver would wait for it forever
            wakeUps.afterSend();
            throw e;
        }
        ring.commit(index, length);
        wakeUps.afterSend();
    }

    private T take(long index, boolean wasInterrupted) {
        int length = ring.payloadLength(index);
        try {
            return codec.decode(records, index + Ring.HEADER, length);
        } finally {
            // a message the codec cannot decode is dropped, not retried forever
            wakeUps.afterReceive(ring.consume(index));
            freeIfDrained(wasInterrupted);
        }
    }

    /** Frees the ring once closed and empty; never throws, so a message taken is never lost. */
    private void freeIfDrained(boolean wasInterrupted) {
        if (closed && !memory.isFreed()) {
            try {
                if (ring.isEmpty()) {
                    memory.free();
                }
            } catch (IllegalStateException freedMeanwhile) {
                // close() saw the ring empty at the same moment and freed it
                clearSpuriousInterrupt(wasInterrupted);
            }
        }
    }

    private T done(boolean throwWhenDone) {
        if (throwWhenDone) {
            throw new ChannelClosedException("the " + this + " is closed and every message was received");
        }
        return null;
    }

    private long claimIndex(MemorySegment claim) {
        long index = claim.address() - records.address() - Ring.HEADER;
        if (index < 0 || index >= ring.capacity() || (index & (Ring.ALIGNMENT - 1)) != 0) {
            throw new IllegalArgumentException("not a segment claimed from the " + this);
        }
        return index;
    }

    /**
     * Undoes the interrupt the JVM may set on a thread whose memory access raced with the closing
     * of the arena (HotSpot interrupts a thread when it installs the asynchronous exception that
     * becomes that IllegalStateException). Only a thread that was not interrupted when it called in
     * is cleared; an interrupt that arrived during that very call is lost with it, which is the
     * price of telling the two apart.
     */
    private static void clearSpuriousInterrupt(boolean wasInterrupted) {
        if (!wasInterrupted) {
            Thread.interrupted();
        }
    }

    private RuntimeException translate(IllegalStateException e, String action, boolean wasInterrupted) {
        if (memory.isFreed() || closed) {
            clearSpuriousInterrupt(wasInterrupted);
            ChannelClosedException closedException =
                    new ChannelClosedException("cannot " + action + ": the " + this + " is closed");
            closedException.initCause(e);
            return closedException;
        }
        return e;
    }
}
