package dev.parx.testkit.tasks;

import dev.parx.Task;
import dev.parx.TaskContext;

/** Throws an {@link IllegalStateException} whose message is the input. */
public final class FailTask implements Task<String, String> {

    /** Creates the task. */
    public FailTask() {
    }

    @Override
    public String run(String input, TaskContext context) {
        throw new IllegalStateException(input);
    }
}
