package dev.parx.ipc.tasks;

import dev.parx.Task;
import dev.parx.TaskContext;
import dev.parx.threads.SharedBuffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CancellationException;

/** Tasks that get a {@link SharedBuffer} in their input and use it in the child. */
public final class SharedBufferTasks {

    /** Where a child's rendezvous counter lives: both sides add one, then wait for two. */
    public static final long READY = 0;

    private SharedBufferTasks() {
    }

    /** A buffer, an offset in it and a value. */
    public record Slot(SharedBuffer buffer, long offset, long value) {
    }

    /** Two buffers, or the same one twice. */
    public record Pair(SharedBuffer first, SharedBuffer second) {
    }

    /** How a ping-pong waits for the other side. */
    public enum Waiting { WAIT_FOR, SPIN }

    /** A ping-pong: the parent writes odd values at offset 0, the child answers with the next even one. */
    public record PingPong(SharedBuffer buffer, int rounds, Waiting waiting) {
    }

    /** Writes the value (volatile). */
    public static final class SetLong implements Task<Slot, Void> {
        @Override
        public Void run(Slot slot, TaskContext context) {
            slot.buffer().setLongVolatile(slot.offset(), slot.value());
            return null;
        }
    }

    /** Reads the long at the offset (volatile). */
    public static final class GetLong implements Task<Slot, Long> {
        @Override
        public Long run(Slot slot, TaskContext context) {
            return slot.buffer().getLongVolatile(slot.offset());
        }
    }

    /** Meets the parent at {@link #READY}, then adds one to the long at the offset, {@code value} times. */
    public static final class Add implements Task<Slot, Void> {
        @Override
        public Void run(Slot slot, TaskContext context) {
            SharedBuffer buffer = slot.buffer();
            rendezvous(buffer);
            for (long i = 0; i < slot.value(); i++) {
                buffer.getAndAddLong(slot.offset(), 1);
            }
            return null;
        }
    }

    /** Adds one at {@link #READY} and spins, for at most 30 s, until the other side did too. */
    public static void rendezvous(SharedBuffer buffer) {
        buffer.getAndAddInt(READY, 1);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (buffer.getIntVolatile(READY) < 2) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the other side never came to the rendezvous");
            }
            Thread.onSpinWait();
        }
    }

    /**
     * Says it is about to wait (sets the int at offset + 4 to 1), then waits while the int at the
     * offset holds the value; returns how the wait ended and the value then.
     */
    public static final class AwaitChange implements Task<Slot, String> {
        @Override
        public String run(Slot slot, TaskContext context) throws InterruptedException {
            SharedBuffer buffer = slot.buffer();
            buffer.setIntVolatile(slot.offset() + 4, 1);
            SharedBuffer.WaitResult result = buffer.waitFor(slot.offset(), (int) slot.value(), Duration.ofSeconds(20));
            return result + " " + buffer.getIntVolatile(slot.offset());
        }
    }

    /** Sets the int at the offset to the value and notifies its waiters. */
    public static final class SetAndNotify implements Task<Slot, Integer> {
        @Override
        public Integer run(Slot slot, TaskContext context) {
            slot.buffer().setIntVolatile(slot.offset(), (int) slot.value());
            return slot.buffer().notify(slot.offset(), Integer.MAX_VALUE);
        }
    }

    /** Answers the parent's pings: waits for 2i+1 at offset 0 and writes 2i+2, {@code rounds} times. */
    public static final class Pong implements Task<PingPong, Void> {
        @Override
        public Void run(PingPong game, TaskContext context) throws InterruptedException {
            SharedBuffer buffer = game.buffer();
            for (int i = 0; i < game.rounds(); i++) {
                awaitValue(buffer, 2 * i + 1, game.waiting());
                buffer.setIntRelease(0, 2 * i + 2);
                buffer.notify(0, 1);
            }
            return null;
        }
    }

    /** Waits, by the given means and for at most 30 s, until the int at offset 0 is {@code value}. */
    public static void awaitValue(SharedBuffer buffer, int value, Waiting waiting) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int seen;
        while ((seen = buffer.getIntVolatile(0)) != value) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("waited 30 s for " + value + ", saw " + seen);
            }
            if (waiting == Waiting.WAIT_FOR) {
                buffer.waitFor(0, seen, Duration.ofSeconds(1));
            } else {
                Thread.onSpinWait();
            }
        }
    }

    /**
     * Measures how late a waiter wakes: {@code rounds} times, waits by the given means while the int
     * at offset 0 is 2i, writes {@code System.nanoTime()} when it sees 2i+1 to the long at
     * {@code 8 * (rounds + i) + 8}, and answers 2i+2. The parent wrote its own time to
     * {@code 8 * i + 8} just before 2i+1.
     */
    public static final class WakeLatency implements Task<PingPong, Void> {
        @Override
        public Void run(PingPong game, TaskContext context) throws InterruptedException {
            SharedBuffer buffer = game.buffer();
            for (int i = 0; i < game.rounds(); i++) {
                awaitValue(buffer, 2 * i + 1, game.waiting());
                buffer.setLongVolatile(8L * (game.rounds() + i) + 8, System.nanoTime());
                buffer.setIntRelease(0, 2 * i + 2);
                buffer.notify(0, 1);
            }
            return null;
        }
    }

    /** Counts this child's mappings of files whose path contains the input. */
    public static final class Mappings implements Task<String, Integer> {
        @Override
        public Integer run(String directory, TaskContext context) throws IOException {
            try (var lines = Files.lines(Path.of("/proc/self/maps"))) {
                return (int) lines.filter(line -> line.contains(directory)).count();
            }
        }
    }

    /** Counts this child's mappings of files in its buffer's directory, while it has the buffer. */
    public static final class MappingsWhileRunning implements Task<SharedBuffer, Integer> {
        @Override
        public Integer run(SharedBuffer buffer, TaskContext context) throws IOException {
            return new Mappings().run(buffer.path().getParent().toString(), context);
        }
    }

    /** Returns its buffer: the parent gets its own buffer object back. */
    public static final class Echo implements Task<SharedBuffer, SharedBuffer> {
        @Override
        public SharedBuffer run(SharedBuffer buffer, TaskContext context) {
            return buffer;
        }
    }

    /** Writes its two buffers' first longs: 1 in the first, then 2 in the second. */
    public static final class WritePair implements Task<Pair, Void> {
        @Override
        public Void run(Pair pair, TaskContext context) {
            pair.first().setLongVolatile(0, 1);
            pair.second().setLongVolatile(8, 2);
            return null;
        }
    }

    /** Joins a file it was given as a path, and returns it: the parent must refuse it. */
    public static final class JoinAndReturn implements Task<String, SharedBuffer> {
        @Override
        public SharedBuffer run(String path, TaskContext context) {
            return SharedBuffer.join(Path.of(path));
        }
    }

    /** Fails after writing 7 at offset 0. */
    public static final class WriteThenFail implements Task<SharedBuffer, Void> {
        @Override
        public Void run(SharedBuffer buffer, TaskContext context) {
            buffer.setLongVolatile(0, 7);
            throw new IllegalStateException("failed on purpose");
        }
    }

    /** Waits on offset 0 until cancelled, then says so by throwing. */
    public static final class WaitUntilCancelled implements Task<SharedBuffer, Void> {
        @Override
        public Void run(SharedBuffer buffer, TaskContext context) {
            buffer.setIntVolatile(4, 1);
            while (!context.isCancelled()) {
                try {
                    buffer.waitFor(0, 0, Duration.ofMillis(50));
                } catch (InterruptedException e) {
                    break;
                }
            }
            throw new CancellationException("cancelled");
        }
    }

    /** Keeps its buffer in a static field past its end: what {@link HeldIsClosed} checks. */
    public static final class Hold implements Task<SharedBuffer, Void> {
        static volatile SharedBuffer held;

        @Override
        public Void run(SharedBuffer buffer, TaskContext context) {
            held = buffer;
            return null;
        }
    }

    /** Whether the buffer that {@link Hold} kept is closed now, or "none". */
    public static final class HeldIsClosed implements Task<String, String> {
        @Override
        public String run(String ignored, TaskContext context) {
            SharedBuffer buffer = Hold.held;
            return buffer == null ? "none" : String.valueOf(buffer.isClosed());
        }
    }

    /** Receives a {@link Slot} as a message and writes its value. */
    public static final class ReceiveAndSet implements Task<String, Void> {
        @Override
        public Void run(String ignored, TaskContext context) throws InterruptedException {
            Slot slot = context.receive(Slot.class, Duration.ofSeconds(20));
            if (slot == null) {
                throw new IllegalStateException("no message came");
            }
            slot.buffer().setLongVolatile(slot.offset(), slot.value());
            return null;
        }
    }
}
