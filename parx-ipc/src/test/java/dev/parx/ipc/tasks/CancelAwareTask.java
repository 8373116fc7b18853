package dev.parx.ipc.tasks;

import dev.parx.Task;
import dev.parx.TaskContext;

/** Emits "started", sleeps until interrupted, then returns whether it saw isCancelled(). */
public final class CancelAwareTask implements Task<String, String> {
    @Override
    public String run(String input, TaskContext context) {
        context.emit("started");
        try {
            Thread.sleep(120_000);
            return "slept";
        } catch (InterruptedException e) {
            return "interrupted, cancelled=" + context.isCancelled();
        }
    }
}
