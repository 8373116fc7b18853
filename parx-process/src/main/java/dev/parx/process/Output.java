package dev.parx.process;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Where a command's stdout or stderr goes. Whatever is chosen, parx reads the stream as the
 * command writes it (except for {@link #raw()}), so a command never stalls on a full pipe.
 *
 * <p>Callbacks of one stream are called one at a time, in output order, on a parx I/O thread;
 * each call happens-before the next, and all of them happen-before the run's result completes.
 * Callbacks of stdout and stderr may run at the same time, on different threads. A callback that throws stops the command: its process tree is
 * killed and the run fails with that exception. A slow callback slows the command down (the pipe
 * fills up), which is the backpressure.
 *
 * <pre>{@code
 * Command.of("ffmpeg", "-i", in, out)
 *         .stderr(Output.lines(line -> log.info("ffmpeg: {}", line)))
 *         .exec();
 * }</pre>
 */
public sealed interface Output {

    /**
     * Keeps the output in memory, up to the command's {@link Command#maxOutput(long) maxOutput},
     * for {@link CommandResult#stdout()} and {@link CommandResult#stderr()}. The default.
     *
     * @return the output choice
     */
    static Output capture() {
        return Capture.INSTANCE;
    }

    /**
     * Keeps the output in memory like {@link #capture()} and also hands every line to a callback
     * as soon as the line is complete.
     *
     * @param listener called with each line, without its line terminator
     * @return the output choice
     */
    static Output captureAndLines(Consumer<String> listener) {
        return new Lines(listener, true);
    }

    /**
     * Hands every line to a callback as soon as it is complete, and keeps nothing. A line longer
     * than {@code maxOutput} characters fails the command with
     * {@link dev.parx.process.OutputLimitExceededException}, so memory stays bounded.
     *
     * @param listener called with each line, without its line terminator ({@code \n} or
     *     {@code \r\n}); decoded with the command's charset
     * @return the output choice
     */
    static Output lines(Consumer<String> listener) {
        return new Lines(listener, false);
    }

    /**
     * Hands every chunk of bytes to a callback as the command produces it, and keeps nothing. The
     * buffer is read-only and valid only during the call: copy what you need.
     *
     * @param listener called with each chunk
     * @return the output choice
     */
    static Output chunks(Consumer<ByteBuffer> listener) {
        return new Chunks(listener);
    }

    /**
     * Throws the output away, without reading it in Java (the operating system discards it).
     *
     * @return the output choice
     */
    static Output discard() {
        return Discard.INSTANCE;
    }

    /**
     * Leaves the stream to the caller, who reads it from {@link RunningCommand#stdout()} or
     * {@link RunningCommand#stderr()}. Only for {@link Command#spawn()}. The caller must read it
     * to the end: a command whose pipe is full and unread waits forever.
     *
     * @return the output choice
     */
    static Output raw() {
        return Raw.INSTANCE;
    }

    /** See {@link Output#capture()}. */
    enum Capture implements Output {
        /** The only instance. */
        INSTANCE
    }

    /** See {@link Output#discard()}. */
    enum Discard implements Output {
        /** The only instance. */
        INSTANCE
    }

    /** See {@link Output#raw()}. */
    enum Raw implements Output {
        /** The only instance. */
        INSTANCE
    }

    /**
     * See {@link Output#lines(Consumer)} and {@link Output#captureAndLines(Consumer)}.
     *
     * @param listener the line callback
     * @param capture whether the output is also kept
     */
    record Lines(Consumer<String> listener, boolean capture) implements Output {
        /**
         * Checks the callback.
         *
         * @param listener the line callback, not null
         * @param capture whether the output is also kept
         */
        public Lines {
            Objects.requireNonNull(listener, "listener");
        }
    }

    /**
     * See {@link Output#chunks(Consumer)}.
     *
     * @param listener the chunk callback
     */
    record Chunks(Consumer<ByteBuffer> listener) implements Output {
        /**
         * Checks the callback.
         *
         * @param listener the chunk callback, not null
         */
        public Chunks {
            Objects.requireNonNull(listener, "listener");
        }
    }
}
