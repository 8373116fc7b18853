package dev.parx.ipc.internal;

import java.io.BufferedInputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a child JVM's real stdout for protocol frames, so that nothing else the child does can put
 * a byte between two frames.
 *
 * <p>Where the child may call native code (Linux on x86-64 or AArch64, started with
 * {@code --enable-native-access=ALL-UNNAMED} on the class path), the guard works on file
 * descriptors: it duplicates fd 1 to a private, close-on-exec descriptor that only
 * {@link #frames()} writes, then points fd 1 at a pipe that {@link #captured()} reads. From then on
 * {@code System.out}, native code writing to fd 1, and every program the child starts that inherits
 * its stdout write into that pipe; no program inherits the frames descriptor. Elsewhere it falls
 * back to {@code System.setOut}, which catches {@code System.out} only, and {@link #mode()} says so.
 * No program needs to exist for either.
 *
 * <p>In both modes {@code System.out} is replaced by a UTF-8 stream (fd 1 itself in the first mode),
 * whatever the locale, so the captured bytes are UTF-8 text from Java code. {@code System.err} and
 * fd 2 are left alone.
 *
 * <p>The caller must drain {@link #captured()} from the start, on a platform thread: like any pipe
 * it holds 64 KiB, and a writer to a full one waits.
 *
 * <pre>{@code
 * StdoutGuard guard = StdoutGuard.install();   // first thing in main
 * Thread.ofPlatform().daemon(true).start(() -> forwardAsLogFrames(guard.captured()));
 * guard.frames().write(helloFrame(guard.mode()));
 * }</pre>
 *
 * <p>Thread-safe; {@link #install()} is idempotent.
 */
public final class StdoutGuard {

    private static final Logger LOG = LoggerFactory.getLogger(StdoutGuard.class);
    private static final int PIPE_BYTES = 64 * 1024;

    private static StdoutGuard installed;   // guarded by StdoutGuard.class

    private final OutputStream frames;
    private final InputStream captured;
    private final boolean nativeLevel;
    private final String mode;
    private final Runnable release;

    private StdoutGuard(OutputStream frames, InputStream captured, boolean nativeLevel, String mode, Runnable release) {
        this.frames = frames;
        this.captured = captured;
        this.nativeLevel = nativeLevel;
        this.mode = mode;
        this.release = release;
    }

    /**
     * Takes the real stdout for frames: the first thing a child's main does, before anything may
     * print. A second call returns the first call's guard.
     *
     * @return the guard
     */
    public static synchronized StdoutGuard install() {
        if (installed == null) {
            System.out.flush();   // what was printed before belongs to the real stdout, before any frame
            String reason = unavailableReason(StdoutGuard.class);
            if (reason == null) {
                try {
                    installed = atFileDescriptors();
                } catch (IOException | RuntimeException | LinkageError e) {
                    reason = "moving fd 1 failed: " + e.getMessage();
                    LOG.warn("stdout is kept at the Java level only: {}", reason, e);
                }
            }
            if (installed == null) {
                installed = inJava(reason);
            }
        }
        return installed;
    }

    /**
     * Returns the real stdout, for frames only. Each {@code write} reaches the kernel before it
     * returns; write whole frames, one call each, from one thread at a time.
     *
     * @return the stream
     */
    public OutputStream frames() {
        return frames;
    }

    /**
     * Returns what is written to stdout from the moment the guard was installed: {@code System.out},
     * and at the descriptor level also fd 1 from native code and from programs that inherit it.
     *
     * @return the stream; drain it at once, on a platform thread
     */
    public InputStream captured() {
        return captured;
    }

    /**
     * Returns whether fd 1 itself was moved, so that native and inherited writes are captured too.
     *
     * @return true at the descriptor level, false for the Java-level fallback
     */
    public boolean nativeLevel() {
        return nativeLevel;
    }

    /**
     * Returns how stdout is kept, for the hello frame: {@code "fd"}, or {@code "java: "} and why
     * the descriptor level could not be used (such as {@code "java: native access disabled (...)"}).
     *
     * @return the text
     */
    public String mode() {
        return mode;
    }

    /**
     * Ends the captured stream, for an exit: flushes {@code System.out} and lets go of this
     * process's write end of the capture, so that {@link #captured()} reaches its end once what
     * was written is read (unless a subprocess still holds the write end). Writes to stdout fail
     * afterwards, silently for {@code System.out}. Called once, by the exiting thread.
     */
    public void release() {
        System.out.flush();
        release.run();
    }

    private static StdoutGuard atFileDescriptors() throws IOException {
        int frames = NativeStdio.duplicatePrivately(NativeStdio.STDOUT);
        int[] pipe;
        try {
            pipe = NativeStdio.pipe();
        } catch (IOException | RuntimeException e) {
            NativeStdio.close(frames);
            throw e;
        }
        try {
            NativeStdio.duplicateOnto(pipe[1], NativeStdio.STDOUT);
        } catch (IOException | RuntimeException e) {
            NativeStdio.close(pipe[0]);
            NativeStdio.close(pipe[1]);
            NativeStdio.close(frames);
            throw e;
        }
        NativeStdio.close(pipe[1]);   // fd 1 is now the pipe's only write end
        // FileDescriptor.out is fd 1, so this stream follows the move; a new one only to fix the charset.
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8));
        int readEnd = pipe[0];
        Runnable release = () -> {
            try {
                // fd 1 becomes the pipe's read end: the last write end here is closed, and a write
                // to fd 1 fails with EBADF instead of reaching a file that reuses the number.
                NativeStdio.duplicateOnto(readEnd, NativeStdio.STDOUT);
            } catch (IOException e) {
                LOG.debug("stdout stays open at exit: {}", e.getMessage());
            }
        };
        return new StdoutGuard(FdStreams.output(frames), new BufferedInputStream(FdStreams.input(readEnd), PIPE_BYTES),
                true, "fd", release);
    }

    private static StdoutGuard inJava(String reason) {
        MemoryPipe pipe = new MemoryPipe(PIPE_BYTES);
        System.setOut(new PrintStream(pipe.sink(), true, StandardCharsets.UTF_8));
        return new StdoutGuard(new FileOutputStream(FileDescriptor.out), pipe.source(), false, "java: " + reason,
                pipe::closeSink);
    }

    /**
     * Says why {@link NativeStdio} cannot be used in this JVM. Asking must not load that class:
     * its initialiser binds native functions, which is what a warning would be printed for.
     *
     * @param caller a class of the module that would call it
     * @return the reason, or null if it can be used
     */
    private static String unavailableReason(Class<?> caller) {
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.equals("Linux") || !(arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"))) {
            return "not Linux on x86-64 or AArch64 (" + os + " " + arch + ")";
        }
        Module module = caller.getModule();
        if (!module.isNativeAccessEnabled()) {
            return "native access disabled (start the child with --enable-native-access="
                    + (module.isNamed() ? module.getName() : "ALL-UNNAMED") + ")";
        }
        return null;
    }
}
