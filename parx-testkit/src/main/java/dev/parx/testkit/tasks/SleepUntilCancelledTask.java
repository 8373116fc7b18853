package dev.parx.testkit.tasks;

import dev.parx.Task;
import dev.parx.TaskContext;
import java.time.Duration;

/**
 * Emits {@code "started"}, then waits until it is cancelled, or until the input's number of
 * milliseconds passed (a safety bound), and returns {@code "cancelled"} or {@code "not cancelled"}.
 */
public final class SleepUntilCancelledTask implements Task<Long, String> {

    /** Creates the task. */
    public SleepUntilCancelledTask() {
    }

    @Override
    public String run(Long boundMillis, TaskContext context) {
        context.emit("started");
        long deadline = System.nanoTime() + Duration.ofMillis(boundMillis).toNanos();
        while (!context.isCancelled() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return context.isCancelled() ? "cancelled" : "not cancelled";
    }
}
