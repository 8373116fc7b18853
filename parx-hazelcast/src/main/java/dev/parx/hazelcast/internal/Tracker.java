package dev.parx.hazelcast.internal;

import com.hazelcast.cluster.Member;
import dev.parx.TaskFailedException;
import dev.parx.engine.Execution;
import dev.parx.engine.WorkerContext;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The submitter's side of one execution on one member: puts the events the member published back
 * in order (they carry numbers), and reports the result only once every event the member counted
 * in it was delivered, so that listeners hear all of them before the handle completes. If some
 * never arrive (a reader that falls a whole ringbuffer behind loses the oldest), the result is
 * reported after {@link #EVENT_GRACE} anyway, with a warning.
 *
 * <p>Thread-safe: events come on Hazelcast's event thread, the result on the thread that completes
 * the member's future, the stop on the canceller's; one lock orders them.
 */
final class Tracker {

    private static final Logger LOG = LoggerFactory.getLogger(Tracker.class);
    /** How long a result waits for events that the member published before it. */
    static final Duration EVENT_GRACE = Duration.ofSeconds(10);

    final PoolLink link;
    final WorkerContext context;
    final Execution execution;
    final String key;
    final Member member;
    private final SlotWorker worker;

    // Guarded by this.
    private int delivered;
    private final Map<Integer, ObjectNode> early = new HashMap<>();
    private Future<byte[]> future;
    private boolean stopRequested;
    private int awaitedEvents = -1;
    private Runnable pendingReport;
    private boolean finished;

    Tracker(PoolLink link, SlotWorker worker, WorkerContext context, Execution execution, String key, Member member) {
        this.link = link;
        this.worker = worker;
        this.context = context;
        this.execution = execution;
        this.key = key;
        this.member = member;
    }

    /** The member accepted the execution; a stop that came first cancels it now. */
    void attach(Future<byte[]> submitted) {
        boolean cancel;
        synchronized (this) {
            future = submitted;
            cancel = stopRequested;
        }
        if (cancel) {
            submitted.cancel(true);
        }
    }

    /** Cancels the execution on its member: Hazelcast interrupts the task's thread there. */
    void stop() {
        Future<byte[]> submitted;
        synchronized (this) {
            stopRequested = true;
            submitted = future;
        }
        if (submitted != null) {
            submitted.cancel(true);
        }
    }

    /** An event the member published, in any order. */
    void event(int seq, ObjectNode event) {
        Runnable report = null;
        synchronized (this) {
            if (finished || seq < delivered) {
                return;
            }
            if (seq > delivered) {
                early.put(seq, event);
                return;
            }
            deliver(event);
            ObjectNode next;
            while ((next = early.remove(delivered)) != null) {
                deliver(next);
            }
            if (pendingReport != null && delivered >= awaitedEvents) {
                report = pendingReport;
                pendingReport = null;
                finished = true;
            }
        }
        if (report != null) {
            end(report);
        }
    }

    private void deliver(ObjectNode event) {
        delivered++;
        String kind = event.path(Events.KIND).asString("");
        switch (kind) {
            case Events.PROGRESS -> context.progress(execution, event.path(Events.FRACTION).asDouble(),
                    event.path(Events.TEXT).asString(null));
            case Events.MESSAGE -> context.emitted(execution,
                    link.codec.decode(event.get(Events.VALUE), link.codec.type(Object.class)));
            case Events.RECEIVING -> worker.forwardMessages(this);
            default -> LOG.warn("ignored an event of unknown kind '{}' for task {}", kind, execution.taskId());
        }
    }

    /** The member's future completed: with the result's JSON, or with why there is none. */
    void completed(byte[] result, Throwable error) {
        link.left(member);
        if (error != null) {
            failed(error);
            return;
        }
        link.ran(member);
        JsonNode json;
        Runnable report;
        int events;
        try {
            json = link.codec.readTree(result);
            events = json.path(Events.EVENTS).asInt(0);
            JsonNode failure = json.get(Events.FAILURE);
            if (failure != null) {
                TaskFailedException decoded = link.codec.decodeFailure(failure, execution.taskId(),
                        execution.taskClass().getName());
                report = () -> context.failed(execution, decoded);
            } else {
                Object output = link.codec.decode(json.get(Events.OUTPUT), link.codec.outputType(execution.taskClass()));
                report = () -> context.succeeded(execution, output);
            }
        } catch (IllegalArgumentException e) {
            TaskFailedException unreadable = new TaskFailedException(execution.taskId(), execution.taskClass().getName(),
                    new IllegalArgumentException("the result from member " + PoolLink.describe(member)
                            + " cannot be read: " + e.getMessage(), e));
            finish(() -> context.failed(execution, unreadable));
            return;
        }
        synchronized (this) {
            if (finished) {
                return;
            }
            if (delivered < events) {
                awaitedEvents = events;
                pendingReport = report;
                CompletableFuture.delayedExecutor(EVENT_GRACE.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
                    Runnable late;
                    synchronized (this) {
                        late = pendingReport;
                        pendingReport = null;
                        finished |= late != null;
                    }
                    if (late != null) {
                        LOG.warn("task {}: {} of its {} events did not arrive from member {} within {}; completing it",
                                execution.taskId(), events - delivered(), events, PoolLink.describe(member), EVENT_GRACE);
                        end(late);
                    }
                });
                return;
            }
        }
        finish(report);
    }

    private synchronized int delivered() {
        return delivered;
    }

    private void failed(Throwable error) {
        Throwable cause = PoolLink.unwrap(error);
        if (cause instanceof CancellationException) {
            finish(() -> context.failed(execution, cause));     // its handle completed already
        } else if (PoolLink.memberGone(cause)) {
            link.suspect(member);
            String reason = "member " + PoolLink.describe(member) + " left the cluster or cannot be reached (" + cause + ")";
            finish(() -> context.died(reason, null, List.of()));
        } else {
            TaskFailedException failure = new TaskFailedException(execution.taskId(), execution.taskClass().getName(),
                    new IllegalStateException("member " + PoolLink.describe(member) + " could not run the task: "
                            + cause, cause));
            finish(() -> context.failed(execution, failure));
        }
    }

    private void finish(Runnable report) {
        synchronized (this) {
            if (finished) {
                return;
            }
            finished = true;
        }
        end(report);
    }

    /** Runs once, outside the lock: later events are dropped, then the end is reported. */
    private void end(Runnable report) {
        link.forget(this);
        worker.ended(this, report);
    }
}
