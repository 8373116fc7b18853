package dev.parx;

/**
 * A consistent snapshot of a pool's counters, taken by {@link Pool#stats()}.
 *
 * <p>At every snapshot, {@code submitted == completed + failed + cancelled + queued + active}.
 * Rejected submissions are not counted as submitted.
 *
 * @param workers the workers alive now (threads, processes or child JVMs)
 * @param busyWorkers the workers running a task now
 * @param queued tasks waiting for a worker
 * @param active tasks running whose handles have not completed yet
 * @param submitted tasks accepted since the pool was built
 * @param completed tasks that returned an output
 * @param failed tasks that threw, timed out or lost their worker
 * @param timedOut of the failed tasks, those that timed out
 * @param cancelled tasks cancelled before they completed
 * @param rejected submissions refused because the queue was full or the pool shut down
 * @param workersRecycled workers that ended without crashing: retired by their worker when done
 *     with their share of tasks (such as a child JVM's {@code maxTasksPerWorker}), idle beyond
 *     {@code minWorkers}, replaced after a task they ran was stopped, or at shutdown
 * @param workersCrashed workers that died (a process that exited or was killed, a lost connection);
 *     the tasks they held failed or ran again
 * @param waitTime time from submission until a worker started the task
 * @param runTime time from start until the task's handle completed
 */
public record PoolStats(
        int workers,
        int busyWorkers,
        int queued,
        int active,
        long submitted,
        long completed,
        long failed,
        long timedOut,
        long cancelled,
        long rejected,
        long workersRecycled,
        long workersCrashed,
        TimeStats waitTime,
        TimeStats runTime) {

    /**
     * Returns the tasks that were accepted and have not completed: queued plus active.
     *
     * @return the pending tasks
     */
    public long pending() {
        return (long) queued + active;
    }
}
