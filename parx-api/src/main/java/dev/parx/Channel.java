package dev.parx;

import java.time.Duration;

/**
 * A bounded FIFO of messages between threads, processes or JVMs (Node's {@code MessageChannel}).
 *
 * <p>Messages from one sender arrive in the order that sender sent them; nothing is lost or
 * duplicated. Which threads may send and receive depends on the implementation and is stated in
 * its name, such as {@code OffHeapChannel.spsc} (one sender thread, one receiver thread). The
 * actions of a sender before {@code send} happen-before the receiver's return from the
 * {@code receive} or {@code poll} that takes that message.
 *
 * <p>A full channel makes {@link #send(Object)} wait: that is the backpressure. After
 * {@link #close()}, sends fail with {@link ChannelClosedException}, and receivers take what is left
 * and then get {@link ChannelClosedException} from {@link #receive()} (or {@code null} from
 * {@link #poll(Duration)}). Blocking methods honour interruption.
 *
 * <pre>{@code
 * try (Channel<String> channel = OffHeapChannel.spsc(1 << 20, Codecs.strings())) {
 *     pool.submit(Producer.class, ...);          // a task that sends into the channel
 *     while (true) {
 *         String line;
 *         try { line = channel.receive(); } catch (ChannelClosedException done) { break; }
 *         handle(line);
 *     }
 * }
 * }</pre>
 *
 * @param <T> the message type
 */
public interface Channel<T> extends AutoCloseable {

    /**
     * Sends a message, waiting while the channel is full.
     *
     * @param message the message, not null
     * @throws InterruptedException if interrupted while waiting; the message was not sent
     * @throws ChannelClosedException if the channel is closed
     * @throws IllegalArgumentException if the message can never fit into the channel
     */
    void send(T message) throws InterruptedException;

    /**
     * Sends a message if there is room now.
     *
     * @param message the message, not null
     * @return true if sent, false if the channel is full
     * @throws ChannelClosedException if the channel is closed
     * @throws IllegalArgumentException if the message can never fit into the channel
     */
    boolean trySend(T message);

    /**
     * Sends a message, waiting at most {@code timeout} for room.
     *
     * @param message the message, not null
     * @param timeout the longest time to wait
     * @return true if sent, false if the timeout passed first
     * @throws InterruptedException if interrupted while waiting; the message was not sent
     * @throws ChannelClosedException if the channel is closed
     * @throws IllegalArgumentException if the message can never fit into the channel
     */
    boolean send(T message, Duration timeout) throws InterruptedException;

    /**
     * Takes the next message, waiting until one arrives.
     *
     * @return the message
     * @throws InterruptedException if interrupted while waiting
     * @throws ChannelClosedException once the channel is closed and every message was taken
     */
    T receive() throws InterruptedException;

    /**
     * Takes the next message, waiting at most {@code timeout}.
     *
     * @param timeout the longest time to wait
     * @return the message, or null if none arrived in time or the channel is closed and drained
     * @throws InterruptedException if interrupted while waiting
     */
    T poll(Duration timeout) throws InterruptedException;

    /**
     * Closes the channel: no more sends; receivers may drain what is left. Waiting senders and
     * receivers are woken. Idempotent.
     */
    @Override
    void close();

    /**
     * Returns whether {@link #close()} was called.
     *
     * @return true if closed
     */
    boolean isClosed();
}
