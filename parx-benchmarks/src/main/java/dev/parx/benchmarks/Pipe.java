package dev.parx.benchmarks;

import dev.parx.ChannelClosedException;
import dev.parx.Codecs;
import dev.parx.threads.IdleStrategy;
import dev.parx.threads.OffHeapChannel;
import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.jctools.queues.MpscArrayQueue;

/**
 * One way of moving {@code byte[]} messages between threads, as each library is meant to be used:
 * parx channels and {@link ArrayBlockingQueue} with their blocking calls, Agrona rings and JCTools
 * queues in a caller's loop that spins, then yields, and never parks. Since parx's default strategy
 * parks when a wait lasts (it must not burn a core on an idle channel), two rows compare like with
 * like: {@code parx-nopark} waits exactly as the Agrona and JCTools loops do, and
 * {@code agrona-backoff} drives the Agrona ring with Agrona's own {@link BackoffIdleStrategy},
 * with parx's default counts (100 spins, 20 yields), then parks of 1 us doubling up to 1 ms.
 *
 * <p>Every message is a fresh array on the receiving side. The rings copy the bytes twice (into
 * the ring, then out of it on the receiver's thread); the on-heap queues copy them once, on the
 * sender's thread, and hand the array over.
 */
abstract class Pipe {

    /** Set by {@link #stop()}; the loops of the spinning pipes check it. */
    volatile boolean running = true;

    /** Sends one message, waiting while full. */
    abstract void send(byte[] message) throws InterruptedException;

    /** Takes one message, waiting while empty. */
    abstract byte[] receive() throws InterruptedException;

    /** Makes blocked calls return or throw; called before joining the pumping threads. */
    void stop() {
        running = false;
    }

    /** Frees what the pipe holds. */
    void close() {
    }

    static Pipe create(String impl, int ringBytes, int messageBytes, boolean manySenders) {
        return switch (impl) {
            case "parx" -> new ParxPipe(manySenders
                    ? OffHeapChannel.mpsc(ringBytes, Codecs.bytes())
                    : OffHeapChannel.spsc(ringBytes, Codecs.bytes()));
            case "parx-nopark" -> new ParxPipe(manySenders
                    ? OffHeapChannel.mpsc(ringBytes, Codecs.bytes(), SPIN_THEN_YIELD)
                    : OffHeapChannel.spsc(ringBytes, Codecs.bytes(), SPIN_THEN_YIELD));
            case "abq" -> new QueuePipe(new ArrayBlockingQueue<>(Math.max(16, ringBytes / (messageBytes + 16))));
            case "agrona" -> new AgronaPipe(ringBytes, manySenders, false);
            case "agrona-backoff" -> new AgronaPipe(ringBytes, manySenders, true);
            case "jctools" -> new JcToolsPipe(new MpscArrayQueue<>(Math.max(16, ringBytes / (messageBytes + 16))));
            default -> throw new IllegalArgumentException("unknown pipe " + impl);
        };
    }

    /**
     * The same waiting as the peers' loops get, as a parx strategy that never parks: the channel
     * then skips its wake-up protocol, which is what Agrona and JCTools leave to their callers.
     */
    static final IdleStrategy SPIN_THEN_YIELD = new IdleStrategy() {
        @Override
        public long idle(int round) {
            Pipe.idle(round);
            return 0;
        }

        @Override
        public boolean mayPark() {
            return false;
        }
    };

    /** Spin a little, then yield: what a caller of a non-blocking queue writes. */
    static void idle(int round) {
        if (round < 100) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }

    static final class ParxPipe extends Pipe {
        private final OffHeapChannel<byte[]> channel;

        ParxPipe(OffHeapChannel<byte[]> channel) {
            this.channel = channel;
        }

        @Override
        void send(byte[] message) throws InterruptedException {
            channel.send(message);
        }

        @Override
        byte[] receive() throws InterruptedException {
            return channel.receive();
        }

        @Override
        void stop() {
            super.stop();
            channel.close();
        }

        @Override
        void close() {
            channel.close();
            try {
                while (true) {
                    channel.receive();   // drain, so the ring's memory is freed now
                }
            } catch (ChannelClosedException | InterruptedException drained) {
                // done
            }
        }
    }

    static final class QueuePipe extends Pipe {
        private final ArrayBlockingQueue<byte[]> queue;

        QueuePipe(ArrayBlockingQueue<byte[]> queue) {
            this.queue = queue;
        }

        @Override
        void send(byte[] message) throws InterruptedException {
            queue.put(message.clone());   // a fresh array per message, as a channel copies into its ring
        }

        @Override
        byte[] receive() throws InterruptedException {
            return queue.take();
        }

        @Override
        void stop() {
            super.stop();
            queue.clear();
        }
    }

    static final class AgronaPipe extends Pipe implements MessageHandler {
        private final RingBuffer ring;
        // Agrona's strategies keep per-thread state: one per thread (two senders share an mpsc pipe)
        private final ThreadLocal<org.agrona.concurrent.IdleStrategy> backoff;
        private byte[] received;

        AgronaPipe(int ringBytes, boolean manySenders, boolean parks) {
            UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(ringBytes + RingBufferDescriptor.TRAILER_LENGTH));
            this.ring = manySenders ? new ManyToOneRingBuffer(buffer) : new OneToOneRingBuffer(buffer);
            this.backoff = parks ? ThreadLocal.withInitial(() -> new BackoffIdleStrategy(100, 20, 1_000, 1_000_000)) : null;
        }

        @Override
        void send(byte[] message) throws InterruptedException {
            // Agrona's zero-copy claim: no source wrapper to allocate or share between senders
            int index;
            for (int round = 0; (index = ring.tryClaim(1, message.length)) <= 0; round++) {
                waitABit(round);
            }
            ring.buffer().putBytes(index, message);
            ring.commit(index);
        }

        @Override
        byte[] receive() throws InterruptedException {
            for (int round = 0; ring.read(this, 1) == 0; round++) {
                waitABit(round);
            }
            byte[] message = received;
            received = null;
            return message;
        }

        private void waitABit(int round) throws InterruptedException {
            if (!running) {
                throw new InterruptedException("stopped");
            }
            if (backoff == null) {
                idle(round);
                return;
            }
            org.agrona.concurrent.IdleStrategy strategy = backoff.get();
            if (round == 0) {
                strategy.reset();
            }
            strategy.idle();
        }

        @Override
        public void onMessage(int msgTypeId, MutableDirectBuffer buffer, int index, int length) {
            byte[] copy = new byte[length];
            buffer.getBytes(index, copy);
            received = copy;
        }
    }

    static final class JcToolsPipe extends Pipe {
        private final MpscArrayQueue<byte[]> queue;

        JcToolsPipe(MpscArrayQueue<byte[]> queue) {
            this.queue = queue;
        }

        @Override
        void send(byte[] message) throws InterruptedException {
            byte[] copy = message.clone();
            for (int round = 0; !queue.offer(copy); round++) {
                if (!running) {
                    throw new InterruptedException("stopped");
                }
                idle(round);
            }
        }

        @Override
        byte[] receive() throws InterruptedException {
            byte[] message;
            for (int round = 0; (message = queue.poll()) == null; round++) {
                if (!running) {
                    throw new InterruptedException("stopped");
                }
                idle(round);
            }
            return message;
        }
    }
}
