package dev.parx.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import dev.parx.Task;
import dev.parx.TaskContext;

/**
 * Kills the member that runs it, as a crash would (terminate: no graceful leave), and waits to be
 * interrupted by the dying member.
 */
public final class KillMemberTask implements Task<String, String>, HazelcastInstanceAware {

    private HazelcastInstance member;

    /** Creates the task. */
    public KillMemberTask() {
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance instance) {
        this.member = instance;
    }

    @Override
    public String run(String input, TaskContext context) throws InterruptedException {
        Thread.ofPlatform().name("kill-" + member.getName()).start(() -> member.getLifecycleService().terminate());
        Thread.sleep(60_000);
        return "still alive";
    }
}
