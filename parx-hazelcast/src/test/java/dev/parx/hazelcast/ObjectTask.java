package dev.parx.hazelcast;

import dev.parx.Task;
import dev.parx.TaskContext;

/** Takes anything and returns its class name. */
public final class ObjectTask implements Task<Object, String> {

    /** Creates the task. */
    public ObjectTask() {
    }

    @Override
    public String run(Object input, TaskContext context) {
        return String.valueOf(input);
    }
}
