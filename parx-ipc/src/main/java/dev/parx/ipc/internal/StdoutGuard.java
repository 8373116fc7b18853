package dev.parx.ipc.internal;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.Charset;

/**
 * Keeps a child JVM's stdout for frames: what the child's code writes to {@code System.out} goes
 * to a pipe that {@link #captured()} reads, and only {@link #frames()} reaches the real stdout.
 *
 * <p>This version redirects at the Java level only ({@code System.setOut}), so writes to file
 * descriptor 1 that bypass {@code System.out} (native code, a subprocess that inherits stdout)
 * still reach the real stdout; {@link #mode()} says so in the hello frame.
 */
public final class StdoutGuard {

    private final OutputStream frames;
    private final InputStream captured;

    private StdoutGuard(OutputStream frames, InputStream captured) {
        this.frames = frames;
        this.captured = captured;
    }

    /**
     * Takes stdout for frames: the first thing a child's main does.
     *
     * @return the guard
     * @throws UncheckedIOException if no pipe can be made
     */
    public static StdoutGuard install() {
        try {
            Pipe pipe = Pipe.open();
            OutputStream real = new FileOutputStream(FileDescriptor.out);
            Charset charset = System.out.charset();
            System.setOut(new PrintStream(Channels.newOutputStream(pipe.sink()), true, charset));
            return new StdoutGuard(real, Channels.newInputStream(pipe.source()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot redirect System.out", e);
        }
    }

    /**
     * Returns the real stdout, for frames only.
     *
     * @return the stream
     */
    public OutputStream frames() {
        return frames;
    }

    /**
     * Returns what the child's code writes to {@code System.out} from now on.
     *
     * @return the stream
     */
    public InputStream captured() {
        return captured;
    }

    /**
     * Returns whether file descriptor 1 itself was moved (native writes are caught too).
     *
     * @return false: this version redirects {@code System.out} only
     */
    public boolean nativeLevel() {
        return false;
    }

    /**
     * Returns how stdout is kept, for the hello frame's capabilities.
     *
     * @return {@code "java"}
     */
    public String mode() {
        return "java";
    }
}
