package dev.parx.hazelcast.internal;

import java.util.UUID;

/** The names of the distributed objects a pool uses, all derived from the pool's own id. */
public final class Names {

    private static final String PREFIX = "parx.";

    private Names() {
    }

    /**
     * Returns a new pool id: unique across the cluster, so that pools never share objects.
     *
     * @param poolName the pool's name
     * @return the id
     */
    public static String newPoolId(String poolName) {
        return poolName + "." + UUID.randomUUID();
    }

    /**
     * The topic that members publish a pool's task events to.
     *
     * @param poolId the pool's id
     * @return the topic's name
     */
    public static String events(String poolId) {
        return PREFIX + "events." + poolId;
    }

    /**
     * The queue that carries a submitter's messages to one execution.
     *
     * @param poolId the pool's id
     * @param key the execution's key
     * @return the queue's name
     */
    public static String inbox(String poolId, String key) {
        return PREFIX + "inbox." + poolId + "." + key;
    }
}
