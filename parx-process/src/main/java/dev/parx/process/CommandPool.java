package dev.parx.process;

import dev.parx.Pool;
import dev.parx.PoolBuilder;
import dev.parx.Task;
import dev.parx.TaskHandle;
import dev.parx.TaskOptions;
import dev.parx.engine.EnginePool;
import dev.parx.engine.PoolEngine;
import dev.parx.engine.Worker;
import dev.parx.engine.WorkerContext;
import dev.parx.engine.WorkerFactory;

/**
 * A {@link Pool} of {@link CommandTask}s that bounds how many commands run at once: each worker
 * runs one task, and so one command, at a time. Queueing, timeouts, cancellation and statistics
 * are those of every parx pool (it shares its engine with {@code ThreadPool}); cancelling a task
 * or letting it time out kills its command's process tree.
 *
 * <p>Safe for use by any number of threads.
 *
 * <pre>{@code
 * try (Pool pool = CommandPool.builder().name("thumbs").workers(4).maxQueue(1000).build()) {
 *     List<TaskHandle<Path>> thumbs = images.stream().map(i -> pool.submit(Thumbnail.class, i)).toList();
 *     thumbs.forEach(TaskHandle::join);
 * }
 * }</pre>
 */
public final class CommandPool extends EnginePool {

    /** Workers that run one command task at a time on their thread; a stop interrupts it, which kills the tree. */
    private static final WorkerFactory COMMAND_RUNNERS = new WorkerFactory() {
        private final WorkerFactory threads = WorkerFactory.sameThread();

        @Override
        public Worker start(WorkerContext context) throws Exception {
            return threads.start(context);
        }

        @Override
        public void checkTask(Class<?> taskClass) {
            WorkerFactory.super.checkTask(taskClass);
            if (!CommandTask.class.isAssignableFrom(taskClass)) {
                throw new IllegalArgumentException("a CommandPool runs CommandTasks; " + taskClass.getName()
                        + " is not one (run plain Java tasks on a ThreadPool)");
            }
        }
    };

    private CommandPool(PoolEngine engine) {
        super(engine);
    }

    /**
     * Returns a builder; the shared settings are those of {@link PoolBuilder}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException also if the task class is not a {@link CommandTask}
     */
    @Override
    public <I, O> TaskHandle<O> submit(Class<? extends Task<I, O>> task, I input, TaskOptions options) {
        return super.submit(task, input, options);
    }

    /**
     * Builds a {@link CommandPool}. {@code workers}/{@code maxWorkers} bound the number of
     * commands running at once. Not thread-safe; each setting may be set once.
     */
    public static final class Builder extends PoolBuilder<Builder, CommandPool> {

        private Builder() {
        }

        @Override
        public CommandPool build() {
            return new CommandPool(new PoolEngine(settings(), COMMAND_RUNNERS));
        }
    }
}
