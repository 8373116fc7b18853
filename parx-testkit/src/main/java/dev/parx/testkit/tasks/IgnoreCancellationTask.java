package dev.parx.testkit.tasks;

import dev.parx.Task;
import dev.parx.TaskContext;
import java.time.Duration;

/**
 * Emits {@code "started"}, then runs for the input's number of milliseconds whatever happens:
 * it ignores cancellation and swallows interrupts. Returns {@code "done"}.
 */
public final class IgnoreCancellationTask implements Task<Long, String> {

    /** Creates the task. */
    public IgnoreCancellationTask() {
    }

    @Override
    public String run(Long millis, TaskContext context) {
        context.emit("started");
        long deadline = System.nanoTime() + Duration.ofMillis(millis).toNanos();
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            try {
                Thread.sleep(Duration.ofNanos(Math.min(left, 10_000_000)));
            } catch (InterruptedException ignored) {
                // deliberately ignored: this task models one that does not cooperate
            }
        }
        return "done";
    }
}
