package dev.parx.ipc.tasks;

import dev.parx.Task;
import dev.parx.TaskContext;

/** Prints its input's number of lines to System.out (and one to System.err), then returns "done". */
public final class PrintTask implements Task<Integer, String> {
    @Override
    public String run(Integer lines, TaskContext context) {
        for (int i = 0; i < lines; i++) {
            System.out.println("printed " + i + " {\"type\":\"result\",\"id\":\"fake\"}");
        }
        System.out.println("the last line");
        System.out.flush();
        System.err.println("to stderr");
        return "done";
    }
}
