package dev.parx.ipc.internal;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * Java streams over a raw file descriptor, for the two that {@link StdoutGuard} makes and the JDK
 * has no public way to wrap. Reads and writes block the calling thread in the kernel, so they
 * belong on platform threads.
 *
 * <p>Each stream serialises its own calls (one read or one write at a time), so a close never
 * releases the number while a call is using it: a close during a blocked read takes effect when
 * that read returns.
 */
final class FdStreams {

    private static final int BUFFER_BYTES = 64 * 1024;

    private FdStreams() {
    }

    /**
     * Creates a stream that writes {@code fd}; each {@code write} hands all its bytes to the
     * kernel before it returns, so there is nothing to flush.
     *
     * @param fd the descriptor, owned by the stream from now on
     * @return the stream
     */
    static OutputStream output(int fd) {
        return new Out(fd);
    }

    /**
     * Creates a stream that reads {@code fd}.
     *
     * @param fd the descriptor, owned by the stream from now on
     * @return the stream
     */
    static InputStream input(int fd) {
        return new In(fd);
    }

    private static final class Out extends OutputStream {
        private final int fd;
        private final MemorySegment buffer = Arena.ofAuto().allocate(BUFFER_BYTES);
        private boolean closed;   // guarded by this

        Out(int fd) {
            this.fd = fd;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
            Objects.checkFromIndexSize(offset, length, bytes.length);
            if (closed) {
                throw new IOException("Stream closed");
            }
            while (length > 0) {
                int chunk = Math.min(length, BUFFER_BYTES);
                MemorySegment.copy(bytes, offset, buffer, JAVA_BYTE, 0, chunk);
                long done = 0;
                while (done < chunk) {
                    done += NativeStdio.write(fd, buffer.asSlice(done), chunk - done);
                }
                offset += chunk;
                length -= chunk;
            }
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                NativeStdio.close(fd);
            }
        }
    }

    private static final class In extends InputStream {
        private final int fd;
        private final MemorySegment buffer = Arena.ofAuto().allocate(BUFFER_BYTES);
        private final Object readLock = new Object();
        private final Object stateLock = new Object();
        private boolean reading;   // guarded by stateLock
        private boolean closed;    // guarded by stateLock
        private boolean released;  // guarded by stateLock

        In(int fd) {
            this.fd = fd;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            Objects.checkFromIndexSize(offset, length, bytes.length);
            if (length == 0) {
                return 0;
            }
            synchronized (readLock) {
                synchronized (stateLock) {
                    if (closed) {
                        throw new IOException("Stream closed");
                    }
                    reading = true;
                }
                try {
                    long n = NativeStdio.read(fd, buffer, Math.min(length, BUFFER_BYTES));
                    if (n == 0) {
                        return -1;
                    }
                    MemorySegment.copy(buffer, JAVA_BYTE, 0, bytes, offset, (int) n);
                    return (int) n;
                } finally {
                    boolean release;
                    synchronized (stateLock) {
                        reading = false;
                        release = closed && !released;
                        released |= release;
                    }
                    if (release) {
                        NativeStdio.close(fd);
                    }
                }
            }
        }

        @Override
        public void close() {
            boolean release;
            synchronized (stateLock) {
                closed = true;
                release = !reading && !released;
                released |= release;
            }
            if (release) {
                NativeStdio.close(fd);
            }
        }
    }
}
