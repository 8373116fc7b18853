package dev.parx.ipc;

import dev.parx.Channel;
import dev.parx.ChannelClosedException;
import dev.parx.TaskContext;
import dev.parx.TaskHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.json.JsonMapper;

/**
 * A {@link Channel} over a task's message frames, typed on both ends: the submitter makes one from
 * the task's handle ({@link #toTask}), the task one from its context ({@link #toSubmitter}). What
 * one end sends, the other receives as a {@code T}, decoded from JSON. Works with any pool, since it
 * uses only {@code TaskHandle.send/onMessage} and {@code TaskContext.emit/receive}; across a
 * {@link JvmPool}'s process boundary the messages are JSON frames.
 *
 * <pre>{@code
 * TaskHandle<Integer> handle = pool.submit(Scale.class, 10);
 * try (JsonChannel<Point> points = JsonChannel.toTask(handle, Point.class, 1024)) {
 *     points.send(new Point(1, 2));
 *     Point scaled = points.receive();
 * }
 * // in Scale.run: JsonChannel<Point> points = JsonChannel.toSubmitter(context, Point.class);
 * }</pre>
 *
 * <p>Sending never waits: a message is handed to the other end at once. Receiving waits for the
 * next message. On the submitter's end, messages that arrive are kept, up to the capacity; past it
 * the pool's delivery waits, which for a {@link JvmPool} holds up that child's frames: that is the
 * backpressure. Closing an end is local: later sends fail with {@link ChannelClosedException}, and
 * receivers take what is left, then get the exception (or null from {@code poll}); the other end is
 * not told. Thread-safe; messages from one sending thread arrive in its order.
 *
 * @param <T> the message type
 */
public final class JsonChannel<T> implements Channel<T> {

    private static final JsonMapper PLAIN = JsonMapper.builder().build();
    private static final Duration FOREVER = Duration.ofDays(365);

    private final Class<T> type;
    private final JsonMapper mapper;
    private final TaskHandle<?> handle;
    private final TaskContext context;
    private final BlockingQueue<Object> received;
    private volatile boolean closed;

    private JsonChannel(Class<T> type, JsonMapper mapper, TaskHandle<?> handle, TaskContext context, int capacity) {
        this.type = Objects.requireNonNull(type, "type");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.handle = handle;
        this.context = context;
        this.received = handle == null ? null : new LinkedBlockingQueue<>(capacity);
    }

    /**
     * Makes the submitter's end of a channel to a running task. From now on the task's emitted
     * messages go to this channel, decoded as {@code T} (use one channel per handle).
     *
     * @param handle the task's handle
     * @param type the message type
     * @param capacity how many received messages are kept, at least 1
     * @param <T> the message type
     * @return the channel
     * @throws IllegalArgumentException if the capacity is less than 1
     */
    public static <T> JsonChannel<T> toTask(TaskHandle<?> handle, Class<T> type, int capacity) {
        return toTask(handle, type, capacity, PLAIN);
    }

    /**
     * Like {@link #toTask(TaskHandle, Class, int)}, decoding with a mapper of one's own (the one
     * the pool uses, for its modules and naming).
     *
     * @param handle the task's handle
     * @param type the message type
     * @param capacity how many received messages are kept, at least 1
     * @param mapper the mapper that decodes received messages
     * @param <T> the message type
     * @return the channel
     * @throws IllegalArgumentException if the capacity is less than 1
     */
    public static <T> JsonChannel<T> toTask(TaskHandle<?> handle, Class<T> type, int capacity, JsonMapper mapper) {
        Objects.requireNonNull(handle, "handle");
        if (capacity < 1) {
            throw new IllegalArgumentException("a channel keeps at least one message, was " + capacity);
        }
        JsonChannel<T> channel = new JsonChannel<>(type, mapper, handle, null, capacity);
        handle.onMessage(channel::arrived);
        return channel;
    }

    /**
     * Makes the task's end of the channel to its submitter.
     *
     * @param context the task's context
     * @param type the message type
     * @param <T> the message type
     * @return the channel
     */
    public static <T> JsonChannel<T> toSubmitter(TaskContext context, Class<T> type) {
        return new JsonChannel<>(type, PLAIN, null, Objects.requireNonNull(context, "context"), 1);
    }

    private void arrived(Object message) {
        try {
            received.put(message);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void send(T message) {
        trySendOrThrow(message);
    }

    @Override
    public boolean trySend(T message) {
        trySendOrThrow(message);
        return true;
    }

    @Override
    public boolean send(T message, Duration timeout) {
        trySendOrThrow(message);
        return true;
    }

    private void trySendOrThrow(T message) {
        Objects.requireNonNull(message, "message");
        if (closed) {
            throw new ChannelClosedException("the channel is closed");
        }
        if (handle != null) {
            handle.send(message);
        } else {
            context.emit(message);
        }
    }

    @Override
    public T receive() throws InterruptedException {
        while (true) {
            T message = poll(Duration.ofSeconds(1));
            if (message != null) {
                return message;
            }
            if (closed) {
                throw new ChannelClosedException("the channel is closed and empty");
            }
        }
    }

    @Override
    public T poll(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        if (handle == null) {
            return closed ? null : context.receive(type, timeout.compareTo(FOREVER) > 0 ? FOREVER : timeout);
        }
        Object message = closed ? received.poll() : received.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        return message == null ? null : mapper.convertValue(message, type);
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }
}
