package dev.parx.hazelcast;

import com.hazelcast.cluster.Address;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import dev.parx.Task;
import dev.parx.TaskContext;

/**
 * Emits {@code "started on <host:port>"} naming the member that runs it, waits for the input's
 * number of milliseconds (or until interrupted), and returns that member's {@code host:port}.
 */
public final class WhereTask implements Task<Long, String>, HazelcastInstanceAware {

    private HazelcastInstance member;

    /** Creates the task. */
    public WhereTask() {
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance instance) {
        this.member = instance;
    }

    @Override
    public String run(Long millis, TaskContext context) throws InterruptedException {
        Address address = member.getCluster().getLocalMember().getAddress();
        String where = address.getHost() + ":" + address.getPort();
        context.emit("started on " + where);
        Thread.sleep(millis);
        return where;
    }
}
