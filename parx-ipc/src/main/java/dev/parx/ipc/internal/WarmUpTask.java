package dev.parx.ipc.internal;

import dev.parx.Task;
import dev.parx.TaskContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The task an AOT training run of {@code ChildMain} runs through the protocol, so that the cache
 * holds the classes a worker loads for a task: decoding a typed input, a progress report, encoding
 * a typed output. Does nothing else; stateless.
 */
public final class WarmUpTask implements Task<List<String>, Map<String, Integer>> {

    /** Creates the task; the child does, by its class name. */
    public WarmUpTask() {
    }

    @Override
    public Map<String, Integer> run(List<String> input, TaskContext context) {
        context.progress(0.5, "warming up");
        Map<String, Integer> lengths = new LinkedHashMap<>();
        for (String word : input) {
            lengths.put(word, word.length());
        }
        return lengths;
    }
}
