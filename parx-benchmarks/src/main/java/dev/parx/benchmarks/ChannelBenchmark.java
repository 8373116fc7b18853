package dev.parx.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Messages between threads through a {@link Pipe}. Background "pump" threads, started per
 * iteration, keep the other end busy; the benchmark thread's operation is one message (throughput)
 * or one round trip (ping-pong latency).
 */
public class ChannelBenchmark {

    private static final int RING_BYTES = 256 * 1024;

    /** Shared set-up: a pipe and the threads that pump it. */
    @State(Scope.Benchmark)
    public abstract static class Pumped {
        final List<Thread> pumps = new ArrayList<>();
        final List<Pipe> pipes = new ArrayList<>();

        Pipe pipe(String impl, int size, boolean manySenders) {
            Pipe pipe = Pipe.create(impl, RING_BYTES, size, manySenders);
            pipes.add(pipe);
            return pipe;
        }

        void pump(String name, PumpBody body) {
            Thread thread = Thread.ofPlatform().name(name).daemon().start(() -> {
                try {
                    body.run();
                } catch (InterruptedException | RuntimeException stopped) {
                    // stopped at tear-down: closed, interrupted or told to stop
                }
            });
            pumps.add(thread);
        }

        /**
         * Stops the pumps and frees the pipes.
         *
         * @throws InterruptedException if interrupted while joining
         */
        @TearDown(Level.Iteration)
        public void stop() throws InterruptedException {
            pipes.forEach(Pipe::stop);
            for (Thread pump : pumps) {
                pump.interrupt();
                pump.join(10_000);
                if (pump.isAlive()) {
                    throw new IllegalStateException(pump + " did not stop");
                }
            }
            pipes.forEach(Pipe::close);
            pumps.clear();
            pipes.clear();
        }
    }

    /** A pump's loop. */
    @FunctionalInterface
    interface PumpBody {
        void run() throws InterruptedException;
    }

    /** One sender thread streams messages to the benchmark thread. */
    @State(Scope.Benchmark)
    public static class OneToOne extends Pumped {
        /**
         * parx spsc (default idle strategy, and one that never parks), ArrayBlockingQueue, Agrona
         * OneToOneRingBuffer (spinning then yielding, and with Agrona's backoff, which parks).
         */
        @Param({"parx", "parx-nopark", "abq", "agrona", "agrona-backoff"})
        public String impl;
        /** Message size in bytes. */
        @Param({"64", "1024"})
        public int size;
        Pipe pipe;

        /** Starts the sender. */
        @Setup(Level.Iteration)
        public void start() {
            pipe = pipe(impl, size, false);
            byte[] message = new byte[size];
            pump("sender", () -> {
                while (true) {
                    pipe.send(message);
                }
            });
        }
    }

    /** Two sender threads stream messages to the benchmark thread. */
    @State(Scope.Benchmark)
    public static class ManyToOne extends Pumped {
        /**
         * parx mpsc (default idle strategy, and one that never parks), Agrona ManyToOneRingBuffer
         * (spinning then yielding, and with Agrona's backoff, which parks), JCTools MpscArrayQueue.
         */
        @Param({"parx", "parx-nopark", "agrona", "agrona-backoff", "jctools"})
        public String impl;
        /** Message size in bytes. */
        @Param({"64"})
        public int size;
        Pipe pipe;

        /** Starts the senders. */
        @Setup(Level.Iteration)
        public void start() {
            pipe = pipe(impl, size, true);
            byte[] message = new byte[size];
            for (int i = 0; i < 2; i++) {
                pump("sender-" + i, () -> {
                    while (true) {
                        pipe.send(message);
                    }
                });
            }
        }
    }

    /** An echo thread returns each message on a second pipe. */
    @State(Scope.Benchmark)
    public static class PingPong extends Pumped {
        /**
         * parx spsc (default idle strategy, and one that never parks), ArrayBlockingQueue, Agrona
         * OneToOneRingBuffer (spinning then yielding, and with Agrona's backoff, which parks).
         */
        @Param({"parx", "parx-nopark", "abq", "agrona", "agrona-backoff"})
        public String impl;
        /** Message size in bytes. */
        @Param({"64", "1024"})
        public int size;
        Pipe ping;
        Pipe pong;
        byte[] message;

        /** Starts the echo. */
        @Setup(Level.Iteration)
        public void start() {
            ping = pipe(impl, size, false);
            pong = pipe(impl, size, false);
            message = new byte[size];
            pump("echo", () -> {
                while (true) {
                    pong.send(ping.receive());
                }
            });
        }
    }

    /**
     * Receives one message from one sender.
     *
     * @param state the pipe
     * @return the message
     * @throws InterruptedException never, in a healthy run
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public byte[] spscThroughput(OneToOne state) throws InterruptedException {
        return state.pipe.receive();
    }

    /**
     * Receives one message from two senders.
     *
     * @param state the pipe
     * @return the message
     * @throws InterruptedException never, in a healthy run
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public byte[] mpscThroughput(ManyToOne state) throws InterruptedException {
        return state.pipe.receive();
    }

    /**
     * Sends a message and waits for its echo.
     *
     * @param state the pipes
     * @return the echo
     * @throws InterruptedException never, in a healthy run
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public byte[] spscPingPong(PingPong state) throws InterruptedException {
        state.ping.send(state.message);
        return state.pong.receive();
    }
}
