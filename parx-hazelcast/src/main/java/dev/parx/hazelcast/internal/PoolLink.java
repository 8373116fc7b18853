package dev.parx.hazelcast.internal;

import com.hazelcast.client.HazelcastClientNotActiveException;
import com.hazelcast.client.HazelcastClientOfflineException;
import com.hazelcast.cluster.Address;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.core.MemberLeftException;
import com.hazelcast.spi.exception.TargetDisconnectedException;
import com.hazelcast.spi.exception.TargetNotMemberException;
import com.hazelcast.topic.ITopic;
import com.hazelcast.topic.Message;
import com.hazelcast.topic.ReliableMessageListener;
import dev.parx.engine.Worker;
import dev.parx.engine.WorkerContext;
import dev.parx.json.TaskCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One pool's link to the cluster, shared by its slots: the executor that runs its tasks, the
 * reliable topic its members publish task events to (one listener for the whole pool), the executions in
 * flight by key, which member runs how many of them, and which members ran how many in all.
 *
 * <p>Thread-safe.
 */
public final class PoolLink {

    private static final Logger LOG = LoggerFactory.getLogger(PoolLink.class);

    final HazelcastInstance instance;
    final TaskCodec codec;
    final String poolId;
    final IExecutorService executor;
    private final ITopic<byte[]> events;
    private final UUID eventListener;
    private final UUID membershipListener;
    private final Map<String, Tracker> inFlight = new ConcurrentHashMap<>();
    private final Map<UUID, AtomicInteger> loads = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> ran = new ConcurrentHashMap<>();
    private final Set<UUID> suspects = ConcurrentHashMap.newKeySet();
    private final AtomicLong keys = new AtomicLong();
    private final AtomicLong turn = new AtomicLong();
    private final AtomicBoolean released = new AtomicBoolean();

    /**
     * Subscribes to the pool's events.
     *
     * @param instance the user's member or client
     * @param poolName the pool's name
     * @param executorName the Hazelcast executor that runs the tasks
     * @param codec encodes inputs and decodes outputs
     */
    public PoolLink(HazelcastInstance instance, String poolName, String executorName, TaskCodec codec) {
        this.instance = instance;
        this.codec = codec;
        this.poolId = Names.newPoolId(poolName);
        this.executor = instance.getExecutorService(executorName);
        this.events = instance.getReliableTopic(Names.events(poolId));
        this.eventListener = events.addMessageListener(new ReliableMessageListener<byte[]>() {
            @Override
            public void onMessage(Message<byte[]> message) {
                onEvent(message);
            }

            @Override
            public long retrieveInitialSequence() {
                return -1;      // from the next event on: the pool subscribes before it sends any task
            }

            @Override
            public void storeSequence(long sequence) {
            }

            @Override
            public boolean isLossTolerant() {
                return true;    // events overwritten before they were read: the results still complete
            }

            @Override
            public boolean isTerminal(Throwable failure) {
                LOG.debug("pool {} goes on listening after: {}", poolId, failure.toString());
                return !instance.getLifecycleService().isRunning();
            }
        });
        this.membershipListener = instance.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                LOG.debug("member {} joined; pool {} may use it", describe(event.getMember()), poolId);
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                suspects.remove(event.getMember().getUuid());
                loads.remove(event.getMember().getUuid());
            }
        });
    }

    /**
     * Starts a slot.
     *
     * @param context the slot's engine context
     * @return the slot
     */
    public Worker newWorker(WorkerContext context) {
        if (released.get()) {
            throw new IllegalStateException("the pool has shut down and left the cluster");
        }
        return new SlotWorker(this, context);
    }

    /**
     * Returns how many tasks each member ran to the end, keyed by {@code host:port}.
     *
     * @return a sorted snapshot
     */
    public Map<String, Long> tasksPerMember() {
        Map<String, Long> snapshot = new TreeMap<>();
        ran.forEach((member, count) -> snapshot.put(member, count.sum()));
        return snapshot;
    }

    /** Unsubscribes and destroys the pool's topic; idempotent. */
    public void release() {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        try {
            events.removeMessageListener(eventListener);
            instance.getCluster().removeMembershipListener(membershipListener);
            events.destroy();
        } catch (RuntimeException e) {
            LOG.debug("pool {} could not release its topic: {}", poolId, e.toString());
        }
    }

    // ---- for the slots ----

    /**
     * Picks the member with the fewest of this pool's tasks in flight, preferring members whose
     * tasks did not just fail because they could not be reached, taking turns among equals.
     */
    Member choose() {
        List<Member> members = new ArrayList<>(instance.getCluster().getMembers());
        if (members.isEmpty()) {
            throw new IllegalStateException("no member of the cluster can be reached");
        }
        boolean allSuspect = members.stream().allMatch(m -> suspects.contains(m.getUuid()));
        int start = (int) Math.floorMod(turn.getAndIncrement(), (long) members.size());
        Member best = null;
        int bestLoad = Integer.MAX_VALUE;
        for (int i = 0; i < members.size(); i++) {
            Member member = members.get((start + i) % members.size());
            if (!allSuspect && suspects.contains(member.getUuid())) {
                continue;
            }
            int load = load(member).get();
            if (load < bestLoad) {
                best = member;
                bestLoad = load;
            }
        }
        load(best).incrementAndGet();
        return best;
    }

    private AtomicInteger load(Member member) {
        return loads.computeIfAbsent(member.getUuid(), uuid -> new AtomicInteger());
    }

    /** An execution on the member ended, however. */
    void left(Member member) {
        AtomicInteger load = loads.get(member.getUuid());
        if (load != null) {
            load.decrementAndGet();
        }
    }

    /** The member ran a task to its end. */
    void ran(Member member) {
        ran.computeIfAbsent(hostPort(member), m -> new LongAdder()).increment();
    }

    /** The member could not be reached: run nothing more there while it is still listed. */
    void suspect(Member member) {
        suspects.add(member.getUuid());
    }

    String newKey(String taskId) {
        return taskId + "#" + keys.incrementAndGet();
    }

    void track(Tracker tracker) {
        inFlight.put(tracker.key, tracker);
    }

    void forget(Tracker tracker) {
        inFlight.remove(tracker.key, tracker);
    }

    boolean isTracked(Tracker tracker) {
        return inFlight.get(tracker.key) == tracker;
    }

    private void onEvent(Message<byte[]> message) {
        try {
            JsonNode event = codec.readTree(message.getMessageObject());
            if (event instanceof ObjectNode object) {
                Tracker tracker = inFlight.get(object.path(Events.KEY).asString(""));
                if (tracker != null) {
                    tracker.event(object.path(Events.SEQ).asInt(-1), object);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("pool {} ignored an event it cannot read: {}", poolId, e.toString());
        }
    }

    // ---- failures ----

    /** The exception inside Hazelcast's and the JDK's wrappers, stopping at one that says the member is gone. */
    static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && !memberGone(t)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** Whether an exception means that the member, or this instance's link to the cluster, is gone. */
    static boolean memberGone(Throwable t) {
        return t instanceof MemberLeftException || t instanceof TargetNotMemberException
                || t instanceof TargetDisconnectedException || t instanceof HazelcastInstanceNotActiveException
                || t instanceof HazelcastClientNotActiveException || t instanceof HazelcastClientOfflineException;
    }

    static String describe(Member member) {
        return hostPort(member) + " (" + member.getUuid() + ")";
    }

    private static String hostPort(Member member) {
        Address address = member.getAddress();
        return address.getHost() + ":" + address.getPort();
    }

    @Override
    public String toString() {
        return "PoolLink[" + poolId + "]";
    }
}
