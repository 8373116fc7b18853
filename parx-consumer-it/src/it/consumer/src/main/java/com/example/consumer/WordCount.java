package com.example.consumer;

import dev.parx.TaskContext;
import dev.parx.process.Command;
import dev.parx.process.CommandResult;
import dev.parx.process.CommandTask;
import java.time.Duration;

/** Counts the words of a text with {@code wc -w}: a task whose work is an operating-system command. */
public final class WordCount extends CommandTask<String, Integer> {

    /** For the pools, which instantiate the task by its class. */
    public WordCount() {
    }

    @Override
    protected Command command(String text, TaskContext context) {
        return Command.of("wc", "-w").stdin(text).timeout(Duration.ofSeconds(30));
    }

    @Override
    protected Integer result(String text, CommandResult result) {
        return Integer.parseInt(result.stdoutTrimmed());
    }
}
