package dev.parx.engine;

/** A worker that runs each execution on its engine thread and is stopped by interrupting it. */
final class SameThreadWorker implements Worker {

    private final WorkerContext context;
    /** The engine thread, on which the worker started and runs everything. */
    private final Thread thread = Thread.currentThread();

    SameThreadWorker(WorkerContext context) {
        this.context = context;
    }

    @Override
    public void execute(Execution execution) {
        context.runHere(execution);
    }

    @Override
    public void stop(Execution execution, boolean interrupt) {
        if (interrupt) {
            thread.interrupt();     // retired already: no other execution can start on this thread
        }
    }

    @Override
    public void close() {
    }
}
