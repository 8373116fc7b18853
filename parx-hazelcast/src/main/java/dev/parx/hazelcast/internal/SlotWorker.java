package dev.parx.hazelcast.internal;

import com.hazelcast.cluster.Member;
import com.hazelcast.collection.IQueue;
import dev.parx.TaskFailedException;
import dev.parx.engine.Execution;
import dev.parx.engine.Worker;
import dev.parx.engine.WorkerContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A slot for one task in flight on the cluster: {@link #execute} sends the execution to the member
 * with the fewest of the pool's tasks and returns; the member's future reports the end from
 * Hazelcast's thread. A stop cancels the execution on its member (an interrupt there) and the
 * slot stays usable, as soon as the cancelled future completes. The slot dies when the member
 * leaves or cannot be reached while it runs the task.
 */
final class SlotWorker implements Worker {

    private static final Logger LOG = LoggerFactory.getLogger(SlotWorker.class);
    /** How long a forwarder waits for a message before it looks again whether its execution ended. */
    private static final Duration FORWARD_POLL = Duration.ofMillis(500);
    private static final Duration JOIN_BOUND = Duration.ofSeconds(10);

    private final PoolLink link;
    private final WorkerContext context;
    private volatile Tracker current;
    private final Map<Tracker, Thread> forwarders = new ConcurrentHashMap<>();

    SlotWorker(PoolLink link, WorkerContext context) {
        this.link = link;
        this.context = context;
    }

    @Override
    public boolean stopsInPlace() {
        return true;
    }

    @Override
    public void execute(Execution execution) {
        byte[] input;
        try {
            input = link.codec.encode(execution.input());
        } catch (IllegalArgumentException e) {
            context.failed(execution, new TaskFailedException(execution.taskId(), execution.taskClass().getName(),
                    new IllegalArgumentException("the input of task " + execution.taskId() + " cannot be sent: "
                            + e.getMessage(), e)));
            return;
        }
        Member member = link.choose();
        String key = link.newKey(execution.taskId());
        Tracker tracker = new Tracker(link, this, context, execution, key, member);
        current = tracker;
        link.track(tracker);
        MemberTask task = new MemberTask(link.poolId, key, execution.taskId(), context.workerId(),
                execution.taskClass().getName(), input);
        Future<byte[]> future;
        try {
            future = link.executor.submitToMember(task, member);
        } catch (RuntimeException e) {
            tracker.completed(null, e);
            return;
        }
        tracker.attach(future);
        if (future instanceof CompletionStage<?> stage) {
            @SuppressWarnings("unchecked")
            CompletionStage<byte[]> result = (CompletionStage<byte[]>) stage;
            result.whenComplete(tracker::completed);
        } else {
            // Not a Hazelcast 5 future: wait for it on a thread of its own.
            Thread.ofVirtual().name(context.workerId() + "-await").start(() -> {
                try {
                    tracker.completed(future.get(), null);
                } catch (Throwable e) {
                    tracker.completed(null, e);
                }
            });
        }
    }

    @Override
    public void stop(Execution execution, boolean interrupt) {
        Tracker tracker = current;
        if (tracker != null && tracker.execution == execution) {
            tracker.stop();
        }
    }

    /** The tracker's execution ended: stop forwarding messages to it, then report. */
    void ended(Tracker tracker, Runnable report) {
        if (current == tracker) {
            current = null;
        }
        Thread forwarder = forwarders.get(tracker);
        if (forwarder != null) {
            forwarder.interrupt();
        }
        report.run();
    }

    /**
     * The task asked for its first message: forward what the submitter sends it, in order, to the
     * execution's queue on the cluster, until it ends; then destroy the queue.
     */
    void forwardMessages(Tracker tracker) {
        Thread forwarder = Thread.ofVirtual().name(context.workerId() + "-inbox-" + tracker.key).unstarted(() -> {
            IQueue<byte[]> inbox = link.instance.getQueue(Names.inbox(link.poolId, tracker.key));
            try {
                while (link.isTracked(tracker)) {
                    Object message = context.nextMessage(tracker.execution, FORWARD_POLL);
                    if (message != null) {
                        inbox.put(link.codec.encode(message));
                    }
                }
            } catch (InterruptedException e) {
                // The execution ended.
            } catch (IllegalArgumentException e) {
                LOG.error("a message to task {} cannot be sent: {}", tracker.execution.taskId(), e.getMessage());
            } catch (RuntimeException e) {
                LOG.debug("stopped forwarding messages to task {}: {}", tracker.execution.taskId(), e.toString());
            } finally {
                forwarders.remove(tracker);
                // Elsewhere: an interrupt meant for the wait above must not cut the destroy short.
                CompletableFuture.runAsync(() -> {
                    try {
                        inbox.destroy();
                    } catch (RuntimeException e) {
                        LOG.debug("could not destroy the inbox of task {}: {}", tracker.execution.taskId(), e.toString());
                    }
                });
            }
        });
        forwarders.put(tracker, forwarder);
        forwarder.start();
    }

    @Override
    public void close() {
        List<Thread> left = List.copyOf(forwarders.values());
        for (Thread forwarder : left) {
            forwarder.interrupt();
        }
        try {
            for (Thread forwarder : left) {
                if (!forwarder.join(JOIN_BOUND)) {
                    LOG.warn("{} did not stop within {}", forwarder.getName(), JOIN_BOUND);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "SlotWorker[" + context.workerId() + "]";
    }
}
