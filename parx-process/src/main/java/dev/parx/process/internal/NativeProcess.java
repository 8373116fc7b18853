package dev.parx.process.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Process} started by {@link NativeSpawn}, so that the rest of parx handles both kinds of
 * process alike. It behaves as the JDK's: buffered pipe streams (null streams where a stream is
 * redirected) that give their descriptors back when the process exits, exit codes of 128 plus the
 * signal number for a process killed by a signal, and {@link #onExit()} completing on the common
 * pool.
 *
 * <p>A reaper thread waits for the child to exit without reaping it, then reaps it while holding
 * this object's lock; {@link #destroy()} signals only under that lock and only an unreaped child.
 * So a signal never reaches an unrelated process that reused the pid, and no child is left a
 * zombie. Every method is safe to call from any thread.
 */
final class NativeProcess extends Process {

    private static final Logger LOG = LoggerFactory.getLogger(NativeProcess.class);

    /** What the JDK's pipe streams turn into once closed or released: writes fail. */
    private static final OutputStream CLOSED = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
            throw new IOException("Stream closed");
        }
    };

    private final int pid;
    private final ProcessHandle handle;
    private final OutputStream stdin;
    private final InputStream stdout;
    private final InputStream stderr;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private boolean reaped; // guarded by this

    /**
     * Wraps a just-spawned child and starts waiting for it. Call it at once after the spawn, with
     * the child still unreaped. The process owns the descriptors from now on, even if this throws.
     *
     * @param pid the child
     * @param stdin the parent's end of the child's stdin pipe, or -1
     * @param stdout the parent's end of the child's stdout pipe, or -1
     * @param stderr the parent's end of the child's stderr pipe, or -1
     * @param helper true for a helper that lives as long as this JVM (the guardian): it is waited
     *     for by a thread of its own rather than by one of the pooled reaper threads, which stop
     *     when idle
     */
    NativeProcess(int pid, int stdin, int stdout, int stderr, boolean helper) {
        this.pid = pid;
        // Taken before the reaper starts: until it is reaped, the child is there to be found.
        this.handle = ProcessHandle.of(pid).orElse(null);
        this.stdin = stdin < 0 ? CLOSED : new PipeOutput(PipeStreams.output(stdin));
        this.stdout = stdout < 0 ? InputStream.nullInputStream() : new PipeInput(PipeStreams.input(stdout));
        this.stderr = stderr < 0 ? InputStream.nullInputStream() : new PipeInput(PipeStreams.input(stderr));
        try {
            if (helper) {
                Thread.ofPlatform().daemon().name("parx-helper-reaper-" + pid).start(this::reap);
            } else {
                IoThreads.reaper().execute(this::reap);
            }
        } catch (RuntimeException | Error e) {
            // No thread to wait for it (out of memory or threads): end it here rather than leave a zombie.
            closeStreams();
            LibC.kill(pid, LibC.SIGKILL);
            LibC.reap(pid);
            throw e;
        }
    }

    private void reap() {
        int waited = LibC.awaitExit(pid);
        int code;
        synchronized (this) {
            code = LibC.reap(pid);
            reaped = true;
        }
        if (code < 0) {
            // Someone else reaped it (a SIGCHLD set to SIG_IGN, or a waitpid(-1) in native code).
            LOG.warn("the exit status of process {} is lost: {}", pid,
                    LibC.strerror(waited < 0 ? -waited : -code));
            code = -1;
        }
        exit.complete(code);
        // As the JDK does: streams that no thread is reading give their descriptors back now.
        if (stdout instanceof PipeInput pipe) {
            pipe.processExited();
        }
        if (stderr instanceof PipeInput pipe) {
            pipe.processExited();
        }
        if (stdin instanceof PipeOutput pipe) {
            pipe.processExited();
        }
    }

    /**
     * Returns the future of the exit code, completed on the reaper thread as the child is reaped.
     * Its dependents must be quick and must not block.
     *
     * @return a dependent copy
     */
    CompletableFuture<Integer> exitCode() {
        return exit.copy();
    }

    /**
     * Returns how many bytes the pipe of one of this process's output streams holds now, without
     * waiting for a read in progress.
     *
     * @param stream {@link #getInputStream()} or {@link #getErrorStream()}
     * @return the number of bytes, or -1 if unknown
     */
    int buffered(InputStream stream) {
        return stream instanceof PipeInput pipe && (stream == stdout || stream == stderr) ? pipe.buffered() : -1;
    }

    @Override
    public OutputStream getOutputStream() {
        return stdin;
    }

    @Override
    public InputStream getInputStream() {
        return stdout;
    }

    @Override
    public InputStream getErrorStream() {
        return stderr;
    }

    @Override
    public int waitFor() throws InterruptedException {
        try {
            return exit.get();
        } catch (ExecutionException e) {
            throw new AssertionError(e); // never completed exceptionally
        }
    }

    @Override
    public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        try {
            exit.get(timeout, unit);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public int exitValue() {
        Integer code = exit.getNow(null);
        if (code == null) {
            throw new IllegalThreadStateException("process " + pid + " has not exited");
        }
        return code;
    }

    @Override
    public boolean isAlive() {
        return !exit.isDone();
    }

    @Override
    public CompletableFuture<Process> onExit() {
        return exit.thenApplyAsync(code -> this);
    }

    @Override
    public void destroy() {
        signal(LibC.SIGTERM);
    }

    @Override
    public Process destroyForcibly() {
        signal(LibC.SIGKILL);
        return this;
    }

    @Override
    public boolean supportsNormalTermination() {
        return true;
    }

    private synchronized void signal(int signal) {
        if (!reaped) {
            LibC.kill(pid, signal);
        }
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public ProcessHandle toHandle() {
        if (handle == null) {
            throw new UnsupportedOperationException("the JDK cannot see process " + pid + " (is /proc mounted?)");
        }
        return handle;
    }

    @Override
    public String toString() {
        Integer code = exit.getNow(null);
        return "Process[pid=" + pid + ", exitValue=" + (code != null ? code : "\"not exited\"") + "]";
    }

    /**
     * Closes every stream; for a start that failed after the child was spawned.
     */
    void closeStreams() {
        for (Closeable stream : new Closeable[] {stdin, stdout, stderr}) {
            try {
                stream.close();
            } catch (IOException e) {
                LOG.debug("closing a stream of process {}: {}", pid, e.toString());
            }
        }
    }

    /**
     * Stdout or stderr, as the JDK's {@code ProcessPipeInputStream}: when the process exits, if no
     * thread is reading (the reaper waits for a read in progress), the bytes still in the pipe are
     * kept and the pipe is closed, so that a stream nobody reads or closes does not hold its
     * descriptor. Output written later by processes the command left behind is lost, as with the
     * JDK. Thread-safe: every method holds this stream's monitor, except {@link #close()}.
     */
    private static final class PipeInput extends BufferedInputStream {
        private final Object closeLock = new Object();

        PipeInput(InputStream pipe) {
            super(pipe);
        }

        synchronized void processExited() {
            synchronized (closeLock) {
                InputStream pipe = in;
                if (pipe == null) {
                    return; // closed
                }
                try {
                    byte[] stragglers = drain(pipe);
                    pipe.close();
                    in = stragglers.length == 0 ? InputStream.nullInputStream() : new ByteArrayInputStream(stragglers);
                } catch (IOException e) {
                    LOG.debug("draining a pipe of an exited process: {}", e.toString());
                }
            }
        }

        /** The bytes in the pipe (or kept from it) now; reads the volatile field, takes no monitor. */
        int buffered() {
            InputStream pipe = in;
            try {
                return pipe == null ? 0 : pipe.available();
            } catch (IOException e) {
                return 0; // closed
            }
        }

        /** Reads what the pipe holds now; never blocks. */
        private static byte[] drain(InputStream pipe) throws IOException {
            byte[] bytes = new byte[0];
            int size = 0;
            int available;
            while ((available = pipe.available()) > 0) {
                bytes = Arrays.copyOf(bytes, size + available);
                int n = pipe.read(bytes, size, available);
                if (n < 0) {
                    break;
                }
                size += n;
            }
            return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
        }

        @Override
        public void close() throws IOException {
            // BufferedInputStream.close() takes no monitor: this keeps it apart from processExited().
            synchronized (closeLock) {
                super.close();
            }
        }
    }

    /**
     * Stdin, as the JDK's {@code ProcessPipeOutputStream}: when the process exits, the pipe is
     * closed and later writes fail with "Stream closed". Thread-safe: every method holds this
     * stream's monitor.
     */
    private static final class PipeOutput extends BufferedOutputStream {
        PipeOutput(OutputStream pipe) {
            super(pipe);
        }

        synchronized void processExited() {
            OutputStream pipe = out;
            if (pipe != CLOSED) {
                try {
                    pipe.close();
                } catch (IOException e) {
                    LOG.debug("closing the stdin of an exited process: {}", e.toString());
                }
                out = CLOSED;
            }
        }
    }
}
