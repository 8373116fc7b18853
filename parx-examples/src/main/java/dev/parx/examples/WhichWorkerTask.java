package dev.parx.examples;

import dev.parx.Task;
import dev.parx.TaskContext;

/** Does a little work (counts the primes in a range) and says which worker ran it. */
public final class WhichWorkerTask implements Task<Range, String> {

    /** Creates the task; pools do, by class name. */
    public WhichWorkerTask() {
    }

    @Override
    public String run(Range range, TaskContext context) {
        CountPrimesTask.count(range);
        return context.workerId();
    }
}
