package dev.parx.process;

import dev.parx.Channel;
import dev.parx.ChannelClosedException;
import dev.parx.process.internal.IoThreads;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Channel} over a running process: {@code send} writes a message to the process's stdin,
 * {@code receive} takes the next message the process wrote to its stdout. Messages are either
 * lines of text ({@link #lines}) or byte arrays framed by a 4-byte big-endian length
 * ({@link #frames}).
 *
 * <p>The channel is meant for processes that answer each message with one message, as a
 * request/response filter does ({@code cat}, {@code bc}, a JSON-lines worker in another
 * language). Its capacity bounds the bytes sent and not yet answered and received: a full channel
 * makes {@code send} wait until {@code receive} takes an answer. That keeps memory bounded at both
 * ends and means the process never has more than the capacity to read. (Output the process
 * writes unasked is kept until received.)
 *
 * <p>Any number of threads may send and receive; messages from one sender keep their order.
 * {@link #close()} closes the process's stdin once every sent message was written; receivers then
 * take the remaining answers until the process closes its stdout (usually by exiting), after which
 * {@code receive} throws {@link ChannelClosedException}. If the process dies, sends fail with
 * {@link ChannelClosedException}. The process is killed with {@link #process()}{@code .kill()}.
 *
 * <pre>{@code
 * try (ProcessChannel<String> bc = ProcessChannel.lines(Command.of("bc", "-q"), 64 * 1024)) {
 *     bc.send("2^64");
 *     String answer = bc.receive();          // "18446744073709551616"
 * }
 * }</pre>
 *
 * @param <T> the message type: {@code String} for lines, {@code byte[]} for frames
 */
public final class ProcessChannel<T> implements Channel<T> {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessChannel.class);
    private static final Object END = new Object();

    /** How messages become bytes on the pipes. */
    private interface Framing<T> {
        byte[] encode(T message);

        /** Returns the next message, or null at end of stream. */
        T read(DataInputStream in) throws IOException;
    }

    private final RunningCommand process;
    private final Framing<T> framing;
    private final int capacity;
    private final Semaphore credit;
    private final ArrayDeque<Integer> unanswered = new ArrayDeque<>(); // guarded by out
    private final LinkedBlockingQueue<Object> received;
    private final OutputStream out;
    private volatile boolean closed;

    private ProcessChannel(Command command, int capacityBytes, Framing<T> framing) {
        if (capacityBytes < 1) {
            throw new IllegalArgumentException("capacity must be at least 1 byte, was " + capacityBytes);
        }
        this.framing = framing;
        this.capacity = capacityBytes;
        this.credit = new Semaphore(capacityBytes, true);
        this.received = new LinkedBlockingQueue<>();
        this.process = command.stdout(Output.raw()).spawn();
        this.out = new BufferedOutputStream(process.stdin(), 64 * 1024);
        InputStream stdout = process.stdout();
        IoThreads.io().execute(() -> readAll(stdout));
    }

    /**
     * Starts a command and talks to it in lines of text, encoded with the command's charset.
     *
     * @param command the command; its stdin and stdout become the channel, its stderr stays as
     *     the command says
     * @param capacityBytes the most bytes sent and not yet answered and received
     * @return the channel
     * @throws CommandStartException if the command cannot start
     * @throws IllegalArgumentException if the capacity is less than 1
     */
    public static ProcessChannel<String> lines(Command command, int capacityBytes) {
        Charset charset = command.spec().charset;
        return new ProcessChannel<>(command, capacityBytes, new Framing<>() {
            @Override
            public byte[] encode(String message) {
                if (message.indexOf('\n') >= 0) {
                    throw new IllegalArgumentException("a line message must not contain a newline");
                }
                return (message + "\n").getBytes(charset);
            }

            @Override
            public String read(DataInputStream in) throws IOException {
                java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
                int b;
                while ((b = in.read()) >= 0 && b != '\n') {
                    line.write(b);
                }
                if (b < 0 && line.size() == 0) {
                    return null;
                }
                return line.toString(charset);
            }
        });
    }

    /**
     * Starts a command and talks to it in byte frames: each message is a 4-byte big-endian
     * length followed by that many bytes, in both directions.
     *
     * @param command the command; its stdin and stdout become the channel
     * @param capacityBytes the most bytes (frames with their headers) sent and not yet answered
     *     and received
     * @return the channel
     * @throws CommandStartException if the command cannot start
     * @throws IllegalArgumentException if the capacity is less than 1
     */
    public static ProcessChannel<byte[]> frames(Command command, int capacityBytes) {
        return new ProcessChannel<>(command, capacityBytes, new Framing<>() {
            @Override
            public byte[] encode(byte[] message) {
                byte[] frame = new byte[4 + message.length];
                java.nio.ByteBuffer.wrap(frame).putInt(message.length).put(message);
                return frame;
            }

            @Override
            public byte[] read(DataInputStream in) throws IOException {
                int length;
                try {
                    length = in.readInt();
                } catch (EOFException end) {
                    return null;
                }
                if (length < 0) {
                    throw new IOException("the process wrote a frame of negative length " + length);
                }
                return in.readNBytes(length);
            }
        });
    }

    /**
     * Returns the process behind the channel, to watch or kill it.
     *
     * @return the running command
     */
    public RunningCommand process() {
        return process;
    }

    @Override
    public void send(T message) throws InterruptedException {
        byte[] bytes = encode(message);
        credit.acquire(bytes.length);
        write(bytes);
    }

    @Override
    public boolean trySend(T message) {
        byte[] bytes = encode(message);
        if (!credit.tryAcquire(bytes.length)) {
            return false;
        }
        write(bytes);
        return true;
    }

    @Override
    public boolean send(T message, Duration timeout) throws InterruptedException {
        byte[] bytes = encode(message);
        if (!credit.tryAcquire(bytes.length, timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            return false;
        }
        write(bytes);
        return true;
    }

    @Override
    public T receive() throws InterruptedException {
        Object next = received.take();
        if (next == END) {
            received.add(END); // for the other receivers
            throw new ChannelClosedException("the process " + process.command() + " closed its stdout");
        }
        return taken(next);
    }

    @Override
    public T poll(Duration timeout) throws InterruptedException {
        Object next = received.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (next == END) {
            received.add(END);
            return null;
        }
        return next == null ? null : taken(next);
    }

    @Override
    public void close() {
        synchronized (out) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                out.close();
            } catch (IOException e) {
                LOG.debug("closing the stdin of {}: {}", process.command(), e.toString());
            }
        }
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return "ProcessChannel[" + process + ", capacity=" + capacity + ", closed=" + closed + "]";
    }

    private byte[] encode(T message) {
        Objects.requireNonNull(message, "message");
        if (closed) {
            throw new ChannelClosedException("channel to " + process.command() + " is closed");
        }
        byte[] bytes = framing.encode(message);
        if (bytes.length > capacity) {
            throw new IllegalArgumentException("a message of " + bytes.length + " bytes (framed) can never fit into "
                    + "a channel of " + capacity + " bytes");
        }
        return bytes;
    }

    private void write(byte[] bytes) {
        synchronized (out) {
            if (closed) {
                credit.release(bytes.length);
                throw new ChannelClosedException("channel to " + process.command() + " is closed");
            }
            try {
                out.write(bytes);
                out.flush();
                unanswered.addLast(bytes.length);
            } catch (IOException e) {
                credit.release(bytes.length);
                ChannelClosedException failure = new ChannelClosedException(
                        "the process " + process.command() + " no longer reads its stdin: " + e.getMessage());
                failure.initCause(e);
                throw failure;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private T taken(Object message) {
        // The answer is out of the channel: the bytes of the oldest unanswered message are free.
        Integer size;
        synchronized (out) {
            size = unanswered.pollFirst();
        }
        if (size != null) {
            credit.release(size);
        }
        return (T) message;
    }

    private void readAll(InputStream stdout) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(stdout, 64 * 1024))) {
            T message;
            while ((message = framing.read(in)) != null) {
                received.put(message);
            }
        } catch (IOException e) {
            LOG.debug("reading the stdout of {} ended: {}", process.command(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            received.add(END);
        }
    }
}
