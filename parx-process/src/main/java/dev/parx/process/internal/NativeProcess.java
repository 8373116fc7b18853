package dev.parx.process.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Process} started by {@link NativeSpawn}, so that the rest of parx handles both kinds of
 * process alike. It behaves as the JDK's: buffered pipe streams (null streams where a stream is
 * redirected), exit codes of 128 plus the signal number for a process killed by a signal, and
 * {@link #onExit()} completing on the common pool.
 *
 * <p>A reaper thread waits for the child to exit without reaping it, then reaps it while holding
 * this object's lock; {@link #destroy()} signals only under that lock and only an unreaped child.
 * So a signal never reaches an unrelated process that reused the pid, and no child is left a
 * zombie. Every method is safe to call from any thread.
 */
final class NativeProcess extends Process {

    private static final Logger LOG = LoggerFactory.getLogger(NativeProcess.class);

    private final int pid;
    private final ProcessHandle handle;
    private final OutputStream stdin;
    private final InputStream stdout;
    private final InputStream stderr;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private boolean reaped; // guarded by this

    /**
     * Wraps a just-spawned child and starts waiting for it. Call it at once after the spawn, with
     * the child still unreaped.
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
        // The reaper only uses pid and exit. It starts before the streams take ownership of the
        // descriptors, so that if it cannot start, the caller still owns them and closes them.
        if (helper) {
            Thread.ofPlatform().daemon().name("parx-helper-reaper-" + pid).start(this::reap);
        } else {
            IoThreads.reaper().execute(this::reap);
        }
        this.stdin = stdin < 0 ? OutputStream.nullOutputStream() : new BufferedOutputStream(PipeStreams.output(stdin));
        this.stdout = stdout < 0 ? InputStream.nullInputStream() : new BufferedInputStream(PipeStreams.input(stdout));
        this.stderr = stderr < 0 ? InputStream.nullInputStream() : new BufferedInputStream(PipeStreams.input(stderr));
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
        for (java.io.Closeable stream : new java.io.Closeable[] {stdin, stdout, stderr}) {
            try {
                stream.close();
            } catch (IOException e) {
                LOG.debug("closing a stream of process {}: {}", pid, e.toString());
            }
        }
    }
}
