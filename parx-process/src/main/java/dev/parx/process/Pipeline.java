package dev.parx.process;

import dev.parx.process.internal.Execution;
import dev.parx.process.internal.Spec;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Commands connected stdout-to-stdin, made by {@link Command#pipe}. Immutable and thread-safe.
 *
 * <p>Each stage keeps its own program, directory, environment, stderr and allowed exit codes. The
 * pipeline's stdin is the first stage's; its stdout, charset and {@code maxOutput} are the last
 * stage's. The timeout is the shortest timeout of any stage, and a timeout, a cancel or
 * {@code kill()} ends every stage's process tree. The run fails if any stage exits with a code it
 * does not allow, except that a stage before the last may die of SIGPIPE (code 141) because a
 * later stage stopped reading, as in {@code yes | head -1}. The result's exit code and pid are the
 * last stage's; its stderr is every stage's captured stderr, in stage order.
 */
public final class Pipeline {

    private final List<Command> stages;

    Pipeline(List<Command> stages) {
        this.stages = List.copyOf(stages);
    }

    /**
     * Returns the stages.
     *
     * @return the commands, first to last
     */
    public List<Command> stages() {
        return stages;
    }

    /**
     * Runs the pipeline and waits for it, as {@link Command#exec()}.
     *
     * @return the result
     */
    public CommandResult exec() {
        return Execution.start(specs(), false).await();
    }

    /**
     * Starts the pipeline and returns a future of its result, as {@link Command#execAsync()}.
     *
     * @return the future
     */
    public CompletableFuture<CommandResult> execAsync() {
        try {
            return Execution.start(specs(), false).onExit();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Starts the pipeline and returns at once, as {@link Command#spawn()}.
     *
     * @return the running pipeline
     */
    public RunningCommand spawn() {
        return Execution.start(specs(), true);
    }

    private List<Spec> specs() {
        return stages.stream().map(Command::spec).toList();
    }

    @Override
    public String toString() {
        return "Pipeline" + stages.stream().map(c -> c.command().toString()).toList();
    }
}
