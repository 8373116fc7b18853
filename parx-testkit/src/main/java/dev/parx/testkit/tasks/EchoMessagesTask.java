package dev.parx.testkit.tasks;

import dev.parx.Task;
import dev.parx.TaskContext;
import java.time.Duration;
import java.util.concurrent.CancellationException;

/**
 * Emits {@code "ready"}, then receives the input's number n of string messages from the submitter,
 * emitting {@code "echo:<message>"} for each, and returns n. Gives up after a minute without a
 * message, and stops when cancelled.
 */
public final class EchoMessagesTask implements Task<Integer, Integer> {

    /** Creates the task. */
    public EchoMessagesTask() {
    }

    @Override
    public Integer run(Integer count, TaskContext context) throws InterruptedException {
        context.emit("ready");
        for (int i = 0; i < count; i++) {
            String message = context.receive(String.class, Duration.ofMinutes(1));
            context.checkCancelled();
            if (message == null) {
                throw new CancellationException("no message arrived within a minute");
            }
            context.emit("echo:" + message);
        }
        return count;
    }
}
