package dev.parx.process.internal;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Java streams over the pipe descriptors of a natively spawned command, with the JDK's semantics:
 * blocking reads and writes, IOException on a broken pipe, close to send end-of-file.
 *
 * <p>A descriptor is closed only when no thread is inside a read or write on it: a close that
 * comes while another thread is blocked in {@code read} marks the stream closed at once and
 * leaves the actual {@code close(2)} to that thread when its call returns. So the number can never
 * be reused by another file under a running call, which with the JDK's own pipe streams can
 * happen. Streams that are dropped without being closed are closed when they become unreachable.
 *
 * <p>Calls block the calling thread in the kernel. A virtual thread hands the call to a parx I/O
 * thread and waits for it, so that it does not pin its carrier for the length of a blocking read.
 */
final class PipeStreams {

    /** Closes descriptors of streams that were dropped without being closed. */
    private static final Cleaner CLEANER = Cleaner.create();
    /** The native buffer of each platform thread that reads or writes a pipe: a pipe's capacity. */
    private static final int BUFFER_BYTES = 64 * 1024;
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private PipeStreams() {
    }

    /**
     * Creates the stream that reads a pipe.
     *
     * @param fd the read end, owned by the stream from now on
     * @return the stream
     */
    static InputStream input(int fd) {
        return new In(new Fd(fd));
    }

    /**
     * Creates the stream that writes a pipe.
     *
     * @param fd the write end, owned by the stream from now on
     * @return the stream
     */
    static OutputStream output(int fd) {
        return new Out(new Fd(fd));
    }

    /** The memory a platform thread passes to read and write: freed with the thread. */
    private static final class Scratch {
        final MemorySegment buffer;
        final MemorySegment capture;

        Scratch() {
            Arena arena = Arena.ofAuto();
            buffer = arena.allocate(BUFFER_BYTES);
            capture = LibC.captureSegment(arena);
        }
    }

    /** A descriptor with the number of calls in flight on it; also the Cleaner's action. */
    private static final class Fd implements Runnable {
        private final int fd;
        private int calls;          // guarded by this
        private boolean closed;     // guarded by this: no new calls
        private boolean released;   // guarded by this: close(2) done or being done

        Fd(int fd) {
            this.fd = fd;
        }

        int acquire() throws IOException {
            synchronized (this) {
                if (closed) {
                    throw new IOException("Stream closed");
                }
                calls++;
                return fd;
            }
        }

        void release() {
            synchronized (this) {
                calls--;
                if (!closed || calls > 0 || released) {
                    return;
                }
                released = true;
            }
            LibC.close(fd);
        }

        @Override
        public void run() {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
                if (calls > 0) {
                    return; // the last call in flight closes it
                }
                released = true;
            }
            LibC.close(fd);
        }
    }

    /** A call on a descriptor that may block. */
    private interface Call {
        int run(int fd, Scratch scratch) throws IOException;
    }

    /** Runs a call on this thread, or on a parx I/O thread for a virtual thread. */
    private static int call(Fd fd, Call call) throws IOException {
        if (!Thread.currentThread().isVirtual()) {
            return callHere(fd, call);
        }
        FutureTask<Integer> task = new FutureTask<>(() -> callHere(fd, call));
        IoThreads.io().execute(task);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    // As with the JDK's pipe streams, a blocked pipe call is not interruptible.
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case IOException io -> throw io;
                case RuntimeException runtime -> throw runtime;
                case Error error -> throw error;
                default -> throw new IOException(e.getCause());
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static int callHere(Fd fd, Call call) throws IOException {
        int descriptor = fd.acquire();
        try {
            return call.run(descriptor, SCRATCH.get());
        } finally {
            fd.release();
        }
    }

    private static IOException failure(long negativeErrno) {
        return new IOException(LibC.strerror((int) -negativeErrno));
    }

    /** Reads a pipe. */
    private static final class In extends InputStream {
        private final Fd fd;
        private final Cleaner.Cleanable cleanable;

        In(Fd fd) {
            this.fd = fd;
            this.cleanable = CLEANER.register(this, fd);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            Objects.checkFromIndexSize(offset, length, bytes.length);
            if (length == 0) {
                return 0;
            }
            try {
                return call(fd, (descriptor, scratch) -> {
                    long want = Math.min(length, scratch.buffer.byteSize());
                    while (true) {
                        long n = LibC.read(scratch.capture, descriptor, scratch.buffer, want);
                        if (n > 0) {
                            MemorySegment.copy(scratch.buffer, JAVA_BYTE, 0, bytes, offset, (int) n);
                            return (int) n;
                        }
                        if (n == 0) {
                            return -1;
                        }
                        if (n != -LibC.EINTR) {
                            throw failure(n);
                        }
                    }
                });
            } finally {
                Reference.reachabilityFence(this);
            }
        }

        @Override
        public int available() throws IOException {
            int descriptor = fd.acquire();
            try {
                return LibC.available(descriptor);
            } finally {
                fd.release();
            }
        }

        @Override
        public void close() {
            cleanable.clean();
        }
    }

    /** Writes a pipe; every write is complete when it returns. */
    private static final class Out extends OutputStream {
        private final Fd fd;
        private final Cleaner.Cleanable cleanable;

        Out(Fd fd) {
            this.fd = fd;
            this.cleanable = CLEANER.register(this, fd);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            Objects.checkFromIndexSize(offset, length, bytes.length);
            if (length == 0) {
                return;
            }
            try {
                call(fd, (descriptor, scratch) -> {
                    int done = 0;
                    while (done < length) {
                        int chunk = (int) Math.min(length - done, scratch.buffer.byteSize());
                        MemorySegment.copy(bytes, offset + done, scratch.buffer, JAVA_BYTE, 0, chunk);
                        long written = 0;
                        while (written < chunk) {
                            long n = LibC.write(scratch.capture, descriptor, scratch.buffer.asSlice(written),
                                    chunk - written);
                            if (n >= 0) {
                                written += n;
                            } else if (n != -LibC.EINTR) {
                                throw failure(n);
                            }
                        }
                        done += chunk;
                    }
                    return done;
                });
            } finally {
                Reference.reachabilityFence(this);
            }
        }

        @Override
        public void close() {
            cleanable.clean();
        }
    }
}
