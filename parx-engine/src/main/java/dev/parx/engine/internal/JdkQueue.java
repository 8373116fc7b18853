package dev.parx.engine.internal;

import java.util.Collection;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.TimeUnit;

/** The engine's hand-off over the JDK's {@link LinkedTransferQueue}, which spins briefly before parking. */
public final class JdkQueue implements TaskQueue {

    private final LinkedTransferQueue<Object> queue = new LinkedTransferQueue<>();

    /** Creates an empty queue. */
    public JdkQueue() {
    }

    @Override
    public void offer(Object item) {
        queue.offer(item);
    }

    @Override
    public Object poll() {
        return queue.poll();
    }

    @Override
    public Object take(long nanos) throws InterruptedException {
        return nanos == Long.MAX_VALUE ? queue.take() : queue.poll(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public boolean isEmpty() {
        return queue.isEmpty();
    }

    @Override
    public void drainTo(Collection<Object> sink) {
        queue.drainTo(sink);
    }
}
