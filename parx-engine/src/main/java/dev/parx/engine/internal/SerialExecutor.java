package dev.parx.engine.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs submitted actions one at a time, in submission order, on whichever submitting thread finds
 * it idle (a trampoline). Gives per-handle ordering of listener calls without a thread of its own.
 * An action that throws is logged and does not stop the ones after it.
 */
public final class SerialExecutor implements Executor {

    /** Creates an idle instance. */
    public SerialExecutor() {
    }

    private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);

    private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();

    @Override
    public void execute(Runnable action) {
        queue.add(action);
        // Re-check after releasing: an action added between the last poll and the release would
        // otherwise wait for the next execute call.
        while (!queue.isEmpty() && draining.compareAndSet(false, true)) {
            try {
                Runnable next;
                while ((next = queue.poll()) != null) {
                    runSafely(next);
                }
            } finally {
                draining.set(false);
            }
        }
    }

    private static void runSafely(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException | Error e) {
            LOG.warn("a parx listener threw; later listeners still run", e);
        }
    }
}
