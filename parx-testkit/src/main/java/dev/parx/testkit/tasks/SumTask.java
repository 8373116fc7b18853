package dev.parx.testkit.tasks;

import dev.parx.Task;
import dev.parx.TaskContext;

/** Returns the sum of its input numbers. */
public final class SumTask implements Task<long[], Long> {

    /** Creates the task. */
    public SumTask() {
    }

    @Override
    public Long run(long[] input, TaskContext context) {
        long sum = 0;
        for (long value : input) {
            sum += value;
        }
        return sum;
    }
}
