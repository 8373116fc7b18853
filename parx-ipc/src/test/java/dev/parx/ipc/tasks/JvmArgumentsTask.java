package dev.parx.ipc.tasks;

import dev.parx.Task;
import dev.parx.TaskContext;
import java.util.List;

/** Returns the command-line arguments of the JVM that runs it (after {@code java}). */
public final class JvmArgumentsTask implements Task<String, List<String>> {
    @Override
    public List<String> run(String input, TaskContext context) {
        return List.of(ProcessHandle.current().info().arguments().orElseThrow());
    }
}
