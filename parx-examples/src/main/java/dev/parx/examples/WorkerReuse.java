package dev.parx.examples;

import dev.parx.PoolStats;
import dev.parx.TaskHandle;
import dev.parx.threads.ThreadPool;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Exercise 5: a pool that reuses a fixed number of workers for a queue of tasks.
 *
 * <p>{@code workers(3)} fixes the pool at three workers (minimum = maximum); the 30 tasks wait in
 * the pool's queue and each worker takes the next one when it is free. Every task returns
 * {@code context.workerId()}, so counting them shows the same three workers running all the
 * tasks; {@link PoolStats} confirms it from the pool's side. A {@code JvmPool} reuses its child
 * JVMs the same way, which is what makes it cheaper than a process per task.
 *
 * <p>Run it alone:
 * <pre>{@code
 * ./mvnw -q -Pdemo package -Dparx.demo=WorkerReuse
 * }</pre>
 */
public final class WorkerReuse {

    /** The workers. */
    static final int WORKERS = 3;
    /** The tasks. */
    static final int TASKS = 30;

    private WorkerReuse() {
    }

    /**
     * What the exercise saw.
     *
     * @param tasksPerWorker how many tasks each worker ran, by worker id
     * @param workersAlive the workers the pool had once the tasks were done
     * @param completed the tasks the pool counted as completed
     */
    public record Result(Map<String, Integer> tasksPerWorker, int workersAlive, long completed) {
    }

    /**
     * Runs the exercise.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        run(Report.toStdout());
    }

    /**
     * Runs {@link #TASKS} tasks on {@link #WORKERS} workers and counts who ran what.
     *
     * @param report where to write
     * @return what was seen
     */
    public static Result run(Report report) {
        report.heading("5. A fixed pool of " + WORKERS + " workers reused for a queue of " + TASKS + " tasks");
        try (ThreadPool pool = ThreadPool.builder().name("reuse").workers(WORKERS).build()) {
            Report.Bar bar = report.bar(TASKS + " tasks on " + WORKERS + " workers", TASKS);
            List<TaskHandle<String>> handles = new ArrayList<>();
            for (int i = 0; i < TASKS; i++) {
                TaskHandle<String> handle = pool.submit(WhichWorkerTask.class, new Range(0, 150_000));
                handle.toCompletableFuture().whenComplete((id, failure) -> bar.add(1));
                handles.add(handle);
            }
            PoolStats queued = pool.stats();   // right after submitting: most tasks still wait
            Map<String, Integer> perWorker = new TreeMap<>();
            for (TaskHandle<String> handle : handles) {
                perWorker.merge(handle.join(), 1, Integer::sum);
            }
            PoolStats stats = pool.stats();
            bar.done(String.format(Locale.ROOT, "%d tasks ran on %d distinct workers", TASKS, perWorker.size()));
            report.line("right after the submits: %d queued, %d running on %d workers", queued.queued(),
                    queued.active(), queued.workers());
            perWorker.forEach((id, count) -> report.line("worker %-16s ran %2d tasks", id, count));
            report.line("pool stats: workers %d, submitted %d, completed %d, wait p50 %.1f ms, run p50 %.1f ms",
                    stats.workers(), stats.submitted(), stats.completed(),
                    stats.waitTime().p50().toNanos() / 1e6, stats.runTime().p50().toNanos() / 1e6);
            return new Result(Collections.unmodifiableMap(perWorker), stats.workers(), stats.completed());
        }
    }
}
