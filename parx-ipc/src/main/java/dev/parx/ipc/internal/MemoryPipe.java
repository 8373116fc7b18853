package dev.parx.ipc.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * A bounded pipe inside this JVM, for {@link StdoutGuard}'s Java-level fallback: as an OS pipe
 * does, a writer waits while it is full and the reader while it is empty.
 *
 * <p>Unlike {@link java.io.PipedInputStream}, any number of threads may write and a writer that
 * ends does not break the pipe; unlike {@link java.nio.channels.Pipe}'s streams, interrupting a
 * writer (a task being cancelled while it prints) does not close the pipe for everyone. Closing
 * the {@linkplain #sink() sink} gives the reader end of file once it has read what was written;
 * closing the {@linkplain #source() source} makes writes fail.
 */
final class MemoryPipe {

    private final byte[] ring;
    private int head;           // guarded by this: next byte to read
    private int size;           // guarded by this
    private boolean sinkClosed;    // guarded by this
    private boolean sourceClosed;  // guarded by this

    private final OutputStream sink = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            put(bytes, offset, length);
        }

        @Override
        public void close() {
            closeSink();
        }
    };

    private final InputStream source = new InputStream() {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return take(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            return take(bytes, offset, length);
        }

        @Override
        public int available() {
            synchronized (MemoryPipe.this) {
                return size;
            }
        }

        @Override
        public void close() {
            closeSource();
        }
    };

    /**
     * Creates a pipe.
     *
     * @param capacity how many bytes it holds before writers wait
     */
    MemoryPipe(int capacity) {
        this.ring = new byte[capacity];
    }

    /**
     * Returns the end that writes.
     *
     * @return the stream, thread-safe
     */
    OutputStream sink() {
        return sink;
    }

    /**
     * Returns the end that reads.
     *
     * @return the stream, thread-safe
     */
    InputStream source() {
        return source;
    }

    private synchronized void put(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        while (length > 0) {
            while (size == ring.length && !sourceClosed && !sinkClosed) {
                await();
            }
            if (sourceClosed || sinkClosed) {
                throw new IOException(sinkClosed ? "Stream closed" : "Pipe closed: nobody reads it any more");
            }
            int tail = (head + size) % ring.length;
            int chunk = Math.min(length, Math.min(ring.length - size, ring.length - tail));
            System.arraycopy(bytes, offset, ring, tail, chunk);
            size += chunk;
            offset += chunk;
            length -= chunk;
            notifyAll();
        }
    }

    private synchronized int take(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (length == 0) {
            return 0;
        }
        while (size == 0 && !sinkClosed && !sourceClosed) {
            await();
        }
        if (sourceClosed) {
            throw new IOException("Stream closed");
        }
        if (size == 0) {
            return -1;
        }
        int chunk = Math.min(length, Math.min(size, ring.length - head));
        System.arraycopy(ring, head, bytes, offset, chunk);
        head = (head + chunk) % ring.length;
        size -= chunk;
        notifyAll();
        return chunk;
    }

    private void await() throws InterruptedIOException {
        try {
            wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting on a captured stdout pipe");
        }
    }

    /** Ends the stream for its reader once it has read what was written; later writes fail. */
    synchronized void closeSink() {
        sinkClosed = true;
        notifyAll();
    }

    private synchronized void closeSource() {
        sourceClosed = true;
        notifyAll();
    }
}
