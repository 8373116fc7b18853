package dev.parx.examples;

import dev.parx.Task;
import dev.parx.TaskContext;

/**
 * Counts the primes in a range, as {@link CountPrimesTask} does (with its progress reports), and
 * says which process did it: run in a child JVM, the pid is not the submitter's.
 */
public final class ChildPrimesTask implements Task<Range, ChildPrimesTask.Counted> {

    /**
     * A count and where it was made.
     *
     * @param primes how many primes the range holds
     * @param pid the process that counted them
     * @param workerId the parx worker that ran the task
     */
    public record Counted(long primes, long pid, String workerId) {
    }

    /** Creates the task; pools do, by class name. */
    public ChildPrimesTask() {
    }

    @Override
    public Counted run(Range range, TaskContext context) {
        long primes = new CountPrimesTask().run(range, context);
        return new Counted(primes, ProcessHandle.current().pid(), context.workerId());
    }
}
