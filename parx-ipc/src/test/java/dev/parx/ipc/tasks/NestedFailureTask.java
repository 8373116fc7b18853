package dev.parx.ipc.tasks;

import dev.parx.Task;
import dev.parx.TaskContext;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Fails with an exception that has a cause that has a cause. */
public final class NestedFailureTask implements Task<String, String> {
    @Override
    public String run(String input, TaskContext context) {
        IllegalStateException root = new IllegalStateException("root " + input);
        throw new UncheckedIOException("outer " + input, new IOException("middle", root));
    }
}
