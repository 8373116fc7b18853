package dev.parx.process.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one of a command's streams into its sink on a parx I/O thread, until end-of-file or until
 * the run lets it go.
 *
 * <p>A stream reaches end-of-file when every process holding its pipe closed it, and a background
 * process that the command left running may hold it for as long as it runs. So once the command
 * has exited, the run asks the pump at intervals whether it is idle: blocked in a read, with no
 * read returned since the last time asked, and (where it can be known) nothing in the pipe. An
 * idle pump is released: its sink is closed, so that what the pump reads later is dropped, and
 * {@link #done()} completes. The pump's thread stays in its read until the pipe gets data or
 * closes, then stops.
 *
 * <p>Thread-safe: the pump's thread reads; one thread at a time may call {@link #mark()} and
 * {@link #releaseIfIdle()}, each call happening before the next.
 */
final class Pump {

    private static final Logger LOG = LoggerFactory.getLogger(Pump.class);

    /** What ends a run early, reported by the pump's thread. */
    interface Failures {
        /** The sink is full. */
        void limitReached();

        /** An output callback threw. */
        void callbackFailed(Throwable failure);
    }

    private final InputStream in;
    private final Sink sink;
    private final IntSupplier buffered;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile boolean reading;
    private volatile long reads;
    private long readsWhenAsked = -1; // used by one check at a time, each handing over to the next

    /**
     * Creates a pump.
     *
     * @param in the stream, closed by the pump when it stops
     * @param sink where what it reads goes
     * @param buffered how many bytes the stream's pipe holds, or a negative number if unknown
     */
    Pump(InputStream in, Sink sink, IntSupplier buffered) {
        this.in = in;
        this.sink = sink;
        this.buffered = buffered;
    }

    /**
     * Starts reading on a parx I/O thread.
     *
     * @param bufferSize the size of each read
     * @param failures what to tell when the sink is full or a callback throws
     * @return this
     */
    Pump start(int bufferSize, Failures failures) {
        IoThreads.io().execute(() -> {
            try {
                run(bufferSize, failures);
            } finally {
                done.complete(null);
            }
        });
        return this;
    }

    /**
     * Returns a future that completes when the pump reached end-of-file, failed, or was released.
     *
     * @return the future
     */
    CompletableFuture<Void> done() {
        return done;
    }

    /**
     * Releases the pump if it is idle on a pipe that something else holds open.
     *
     * @return true if the pump is done now
     */
    boolean releaseIfIdle() {
        if (done.isDone()) {
            return true;
        }
        long seen = reads;
        boolean idle = reading && seen == readsWhenAsked && buffered.getAsInt() <= 0;
        readsWhenAsked = seen;
        if (idle) {
            sink.close();
            done.complete(null);
        }
        return idle;
    }

    /**
     * Notes where the pump is, so that {@link #releaseIfIdle()} asks about what comes after.
     */
    void mark() {
        readsWhenAsked = reads;
    }

    private void run(int bufferSize, Failures failures) {
        byte[] buffer = new byte[bufferSize];
        try (in) {
            while (true) {
                reading = true;
                int n = in.read(buffer);
                reading = false;
                reads++; // only this thread writes it
                if (n < 0 || n > 0 && !sink.offer(buffer, n)) {
                    return;
                }
            }
        } catch (Sink.LimitReached e) {
            failures.limitReached();
        } catch (IOException e) {
            LOG.debug("reading a command's output ended: {}", e.toString());
        } catch (RuntimeException | Error e) {
            failures.callbackFailed(e);
        } finally {
            reading = false;
        }
    }
}
