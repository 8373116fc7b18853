package dev.parx.testkit.tasks;

import dev.parx.Task;
import dev.parx.TaskContext;

/** Returns its input unchanged. */
public final class EchoTask implements Task<String, String> {

    /** Creates the task. */
    public EchoTask() {
    }

    @Override
    public String run(String input, TaskContext context) {
        return input;
    }
}
