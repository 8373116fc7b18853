package dev.parx.threads.internal;

import java.lang.foreign.Arena;
import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A shared {@link Arena} that is closed exactly once: by the first of {@link #free()} or the
 * {@link Cleaner}, which frees the memory of an owner that was dropped without being closed.
 */
public final class SharedArena implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(SharedArena.class);
    private static final Cleaner CLEANER = Cleaner.create();

    private final Arena arena = Arena.ofShared();
    private final AtomicBoolean freed = new AtomicBoolean();
    private final String owner;
    private volatile Runnable afterFree;

    private SharedArena(String owner) {
        this.owner = owner;
    }

    /**
     * Creates an arena whose memory is freed when {@code owner} becomes unreachable, unless
     * {@link #free()} came first.
     *
     * @param owner the object whose lifetime bounds the memory; must not be reachable from the
     *     returned arena
     * @param description what the memory is, for logs
     * @return the arena
     */
    public static SharedArena forOwner(Object owner, String description) {
        SharedArena shared = new SharedArena(description);
        CLEANER.register(owner, shared);
        return shared;
    }

    /**
     * Sets what to do once the memory is freed, by {@link #free()} or the cleaner: delete a
     * temporary file, say. Set it before the owner is shared; like the arena, it must not reach the
     * owner. A failure of the action is logged.
     *
     * @param action the action, run once
     */
    public void afterFree(Runnable action) {
        this.afterFree = action;
    }

    /**
     * Returns the arena to allocate from.
     *
     * @return the arena
     */
    public Arena arena() {
        return arena;
    }

    /**
     * Returns whether the memory was freed.
     *
     * @return true once {@link #free()} has started
     */
    public boolean isFreed() {
        return freed.get();
    }

    /**
     * Closes the arena once; later calls do nothing. Threads inside an access at this moment get an
     * {@link IllegalStateException}, which owners translate into their own "closed" error.
     */
    public void free() {
        if (!freed.compareAndSet(false, true)) {
            return;
        }
        while (arena.scope().isAlive()) {
            try {
                arena.close();
            } catch (IllegalStateException busy) {
                // a thread holds the scope (a native call or similar): it will let go
                Thread.yield();
            }
        }
        Runnable action = afterFree;
        if (action != null) {
            try {
                action.run();
            } catch (RuntimeException e) {
                LOG.warn("after freeing {}: {}", owner, e.toString());
            }
        }
    }

    /** The cleaner's action: frees memory whose owner was not closed. */
    @Override
    public void run() {
        if (!freed.get()) {
            LOG.warn("{} was not closed before it became unreachable; freeing its memory now", owner);
            free();
        }
    }
}
