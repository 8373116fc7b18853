package dev.parx.hazelcast.internal;

import com.hazelcast.collection.IQueue;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import dev.parx.TaskContext;
import dev.parx.json.TaskCodec;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.node.ObjectNode;

/**
 * A task's context on the member that runs it. Progress and messages are published, numbered, to
 * the pool's reliable topic; messages from the submitter are taken from the execution's own queue, which
 * the submitter fills once the first {@link #receive} announced itself. Cancellation reaches the
 * task as Hazelcast's interrupt of its thread, which {@link #isCancelled()} remembers.
 *
 * <p>Used by the task's thread, and by whatever threads the task shares it with: publishing is
 * serialized, so that the numbers follow the order of the calls.
 */
final class MemberContext implements TaskContext {

    private final HazelcastInstance member;
    private final TaskCodec codec;
    private final String poolId;
    private final String key;
    private final String taskId;
    private final String workerId;
    private final Thread runner = Thread.currentThread();
    private ITopic<byte[]> topic;           // guarded by this
    private int published;                  // guarded by this
    private boolean receiving;              // guarded by this
    private boolean ended;                  // guarded by this
    private volatile boolean cancelled;
    private IQueue<byte[]> inbox;

    MemberContext(HazelcastInstance member, TaskCodec codec, String poolId, String key, String taskId, String workerId) {
        this.member = member;
        this.codec = codec;
        this.poolId = poolId;
        this.key = key;
        this.taskId = taskId;
        this.workerId = workerId;
    }

    @Override
    public String taskId() {
        return taskId;
    }

    @Override
    public String workerId() {
        return workerId;
    }

    @Override
    public boolean isCancelled() {
        if (!cancelled && runner.isInterrupted()) {
            cancelled = true;
        }
        return cancelled;
    }

    @Override
    public void checkCancelled() {
        if (isCancelled()) {
            throw new CancellationException("task " + taskId + " was cancelled");
        }
    }

    @Override
    public void progress(double fraction, String message) {
        ObjectNode event = event(Events.PROGRESS);
        event.put(Events.FRACTION, fraction);
        event.put(Events.TEXT, message);
        publish(event);
    }

    @Override
    public void emit(Object message) {
        Objects.requireNonNull(message, "message");
        ObjectNode event = event(Events.MESSAGE);
        event.set(Events.VALUE, codec.toTree(message));
        publish(event);
    }

    @Override
    public <T> T receive(Class<T> type, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(timeout, "timeout");
        IQueue<byte[]> queue;
        synchronized (this) {
            if (!receiving) {
                receiving = true;
                inbox = member.getQueue(Names.inbox(poolId, key));
                publish(event(Events.RECEIVING));
            }
            queue = inbox;
        }
        byte[] message = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (message == null) {
            return null;
        }
        try {
            return type.cast(codec.decode(message, codec.type(type)));
        } catch (IllegalArgumentException e) {
            throw new ClassCastException("task " + taskId + " expected a message of type " + type.getName()
                    + " but the next message does not decode as one: " + e.getMessage());
        }
    }

    private ObjectNode event(String kind) {
        ObjectNode event = codec.mapper().createObjectNode();
        event.put(Events.KEY, key);
        event.put(Events.KIND, kind);
        return event;
    }

    private synchronized void publish(ObjectNode event) {
        if (ended) {
            return;     // a thread the task left behind: its handle completed
        }
        if (topic == null) {
            topic = member.getReliableTopic(Names.events(poolId));
        }
        event.put(Events.SEQ, published);
        topic.publish(codec.encode(event));
        published++;
    }

    /** The task returned or threw: later events are dropped. */
    synchronized void end() {
        ended = true;
    }

    /** How many events were published; read after {@link #end()}. */
    synchronized int published() {
        return published;
    }
}
