package com.example.consumer;

import dev.parx.Task;
import dev.parx.TaskContext;

/** Tells in which process and module it runs. */
public final class Where implements Task<String, Place> {

    /** For the pools, which instantiate the task by its class. */
    public Where() {
    }

    @Override
    public Place run(String ignored, TaskContext context) {
        return new Place(ProcessHandle.current().pid(), Where.class.getModule().getName(), context.workerId());
    }
}
