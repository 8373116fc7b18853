package dev.parx.testkit.tasks;

import dev.parx.Task;
import dev.parx.TaskContext;

/** Reports progress {@code i/n} with message {@code "step i"} for i from 1 to the input n; returns n. */
public final class ReportProgressTask implements Task<Integer, Integer> {

    /** Creates the task. */
    public ReportProgressTask() {
    }

    @Override
    public Integer run(Integer steps, TaskContext context) {
        for (int i = 1; i <= steps; i++) {
            context.progress((double) i / steps, "step " + i);
        }
        return steps;
    }
}
