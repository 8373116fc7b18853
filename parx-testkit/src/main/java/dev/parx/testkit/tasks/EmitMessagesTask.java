package dev.parx.testkit.tasks;

import dev.parx.Task;
import dev.parx.TaskContext;

/** Emits {@code "message-0"} to {@code "message-<n-1>"} for an input n, and returns n. */
public final class EmitMessagesTask implements Task<Integer, Integer> {

    /** Creates the task. */
    public EmitMessagesTask() {
    }

    @Override
    public Integer run(Integer count, TaskContext context) {
        for (int i = 0; i < count; i++) {
            context.emit("message-" + i);
        }
        return count;
    }
}
