package dev.parx.process.internal;

import dev.parx.process.Output;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where a pump puts what it reads from one of a command's streams. A sink is fed by one thread at
 * a time, through {@link #offer}, which holds its monitor as every method of a sink does; its
 * results are read once every pump feeding it finished or the sink was closed.
 */
abstract class Sink {

    /** Thrown when a sink would hold more than the command's limit. */
    static final class LimitReached extends Exception {
        private static final long serialVersionUID = 1L;

        LimitReached() {
            super(null, null, false, false);
        }
    }

    /**
     * Creates the sink for an output choice.
     *
     * @param output the choice
     * @param charset the command's charset
     * @param limit the command's maxOutput
     * @return the sink, or null if nothing is read in Java (discarded or raw)
     */
    static Sink of(Output output, Charset charset, long limit) {
        return switch (output) {
            case Output.Capture capture -> new Capture(charset, limit, null);
            case Output.Lines lines when lines.capture() -> new Capture(charset, limit, lines.listener());
            case Output.Lines lines -> new Lines(charset, limit, lines.listener());
            case Output.Chunks chunks -> new Chunks(chunks.listener());
            case Output.Discard discard -> null;
            case Output.Raw raw -> null;
        };
    }

    private boolean closed; // guarded by this

    /**
     * Takes what a pump read, unless the sink was closed.
     *
     * @param buffer the bytes
     * @param length how many of them
     * @return false if the sink is closed and dropped them
     * @throws LimitReached if the sink would hold more than its limit
     */
    final synchronized boolean offer(byte[] buffer, int length) throws LimitReached {
        if (closed) {
            return false;
        }
        accept(buffer, length);
        return true;
    }

    /** Closes the sink: from now on it drops what it is offered. Waits for an offer in progress. */
    final synchronized void close() {
        closed = true;
    }

    abstract void accept(byte[] buffer, int length) throws LimitReached;

    abstract void finish() throws LimitReached;

    /** The captured text, or empty. */
    String text() {
        return "";
    }

    /** The captured bytes, or empty. */
    byte[] bytes() {
        return new byte[0];
    }

    /** The last lines, for error messages. */
    abstract List<String> tail();

    /** Keeps everything up to the limit, and optionally splits it into lines as it comes. */
    static final class Capture extends Sink {
        private final Charset charset;
        private final long limit;
        private final LineSplitter splitter;
        private byte[] bytes = new byte[0];
        private int size;

        Capture(Charset charset, long limit, Consumer<String> listener) {
            this.charset = charset;
            this.limit = limit;
            this.splitter = listener != null ? new LineSplitter(charset, listener, limit) : null;
        }

        @Override
        synchronized void accept(byte[] buffer, int length) throws LimitReached {
            if (size + (long) length > limit) {
                throw new LimitReached();
            }
            if (size + length > bytes.length) {
                // Grow geometrically, but never past the limit: memory stays bounded by maxOutput.
                long wanted = Math.max(size + (long) length, Math.max(256, bytes.length * 2L));
                bytes = Arrays.copyOf(bytes, (int) Math.min(wanted, Math.min(limit, Integer.MAX_VALUE - 8)));
            }
            System.arraycopy(buffer, 0, bytes, size, length);
            size += length;
            if (splitter != null) {
                try {
                    splitter.accept(ByteBuffer.wrap(buffer, 0, length));
                } catch (LineSplitter.LineTooLong e) {
                    throw new LimitReached();
                }
            }
        }

        @Override
        synchronized void finish() throws LimitReached {
            if (splitter != null) {
                try {
                    splitter.finish();
                } catch (LineSplitter.LineTooLong e) {
                    throw new LimitReached();
                }
            }
        }

        @Override
        synchronized String text() {
            return new String(bytes, 0, size, charset);
        }

        @Override
        synchronized byte[] bytes() {
            return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
        }

        @Override
        synchronized List<String> tail() {
            // Decode only the end: the tail of a megabyte of output needs a few kilobytes.
            int from = Math.max(0, size - 4096);
            List<String> lines = new String(bytes, from, size - from, charset).lines().toList();
            if (from > 0 && !lines.isEmpty()) {
                lines = lines.subList(1, lines.size());
            }
            return List.copyOf(lines.subList(Math.max(0, lines.size() - 10), lines.size()));
        }
    }

    /** Hands out lines and keeps only the last few. */
    static final class Lines extends Sink {
        private final LineSplitter splitter;

        Lines(Charset charset, long limit, Consumer<String> listener) {
            this.splitter = new LineSplitter(charset, listener, limit);
        }

        @Override
        synchronized void accept(byte[] buffer, int length) throws LimitReached {
            try {
                splitter.accept(ByteBuffer.wrap(buffer, 0, length));
            } catch (LineSplitter.LineTooLong e) {
                throw new LimitReached();
            }
        }

        @Override
        synchronized void finish() throws LimitReached {
            try {
                splitter.finish();
            } catch (LineSplitter.LineTooLong e) {
                throw new LimitReached();
            }
        }

        @Override
        synchronized List<String> tail() {
            return splitter.tail();
        }
    }

    /** Hands out chunks and keeps nothing. */
    static final class Chunks extends Sink {
        private final Consumer<ByteBuffer> listener;

        Chunks(Consumer<ByteBuffer> listener) {
            this.listener = listener;
        }

        @Override
        synchronized void accept(byte[] buffer, int length) {
            listener.accept(ByteBuffer.wrap(buffer, 0, length).asReadOnlyBuffer());
        }

        @Override
        void finish() {
        }

        @Override
        List<String> tail() {
            return List.of();
        }
    }
}
