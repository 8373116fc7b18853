package dev.parx.process;

import dev.parx.Task;
import dev.parx.TaskContext;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link Task} whose work is an operating-system command: {@link #command} builds it from the
 * input, parx runs it, and {@link #result} turns its {@link CommandResult} into the output. It
 * runs on any {@link dev.parx.Pool}; on a {@link CommandPool} the pool's worker count bounds the
 * number of processes running at once.
 *
 * <p>Cancelling the task (or its timeout, or {@code shutdownNow}) kills the command's whole
 * process tree, and {@link #run} returns only once that kill is over, so a pool that terminated
 * left no process behind. Like every task, a subclass is public, has a public no-argument
 * constructor and keeps no state between runs.
 *
 * <pre>{@code
 * public final class Thumbnail extends CommandTask<Path, Path> {
 *     protected Command command(Path image, TaskContext context) {
 *         return Command.of("convert", image.toString(), "-resize", "200x200", out(image).toString())
 *                 .stderr(Output.lines(line -> context.emit(line)))     // stream lines as messages
 *                 .timeout(Duration.ofSeconds(30));
 *     }
 *     protected Path result(Path image, CommandResult result) {
 *         return out(image);
 *     }
 * }
 * try (Pool pool = CommandPool.builder().workers(4).build()) {
 *     pool.submit(Thumbnail.class, Path.of("cat.png")).join();
 * }
 * }</pre>
 *
 * @param <I> the input type
 * @param <O> the output type
 */
public abstract class CommandTask<I, O> implements Task<I, O> {

    /** How often a waiting task checks {@link TaskContext#isCancelled()}, for pools that do not interrupt. */
    private static final Duration CANCEL_POLL = Duration.ofMillis(50);

    /** For subclasses, which need a public no-argument constructor. */
    protected CommandTask() {
    }

    /**
     * Builds the command for an input. To stream output to the submitter as it comes, give the
     * command an {@link Output#lines} or {@link Output#captureAndLines} callback that calls
     * {@code context.emit} or {@code context.progress}. Unless the command sets its stdin or
     * {@link #interact} writes it, the command's stdin is empty.
     *
     * @param input the task's input
     * @param context the run's context
     * @return the command to run
     * @throws Exception if the input is unusable; the task fails with it
     */
    protected abstract Command command(I input, TaskContext context) throws Exception;

    /**
     * Turns a successful command's result into the task's output.
     *
     * @param input the task's input
     * @param result the command's result; its exit code is one the command allows
     * @return the output
     * @throws Exception if the result is unusable; the task fails with it
     */
    protected abstract O result(I input, CommandResult result) throws Exception;

    /**
     * Decides what a disallowed exit code means; by default the task fails with the
     * {@link ProcessFailedException}. Override to recover, or to throw an exception of your own.
     *
     * @param input the task's input
     * @param failure the failure, with exit code and stderr tail
     * @return the output, if the failure is acceptable
     * @throws Exception the failure to report
     */
    protected O failed(I input, ProcessFailedException failure) throws Exception {
        throw failure;
    }

    /**
     * Talks to the running command, on the task's thread, before parx waits for it to exit: for
     * example, forwards {@link TaskContext#receive messages from the submitter} to its stdin. When
     * this returns, parx closes the command's stdin. Does nothing by default.
     *
     * @param command the running command
     * @param input the task's input
     * @param context the run's context
     * @throws Exception to fail the task; the command is killed
     */
    protected void interact(RunningCommand command, I input, TaskContext context) throws Exception {
    }

    /**
     * Runs the command and maps its result. Called by pools; do not override.
     *
     * @param input the task's input
     * @param context the run's context
     * @return the output
     * @throws Exception what {@link #result}, {@link #failed} or the command reported
     * @throws InterruptedException if the task was interrupted (cancelled); the command was killed
     */
    @Override
    public final O run(I input, TaskContext context) throws Exception {
        RunningCommand running = command(input, context).spawn();
        boolean done = false;
        try {
            interact(running, input, context);
            closeStdin(running);
            CommandResult result = await(running, context);
            done = true;
            return result(input, result);
        } catch (ProcessFailedException failure) {
            done = true;
            return failed(input, failure);
        } finally {
            if (!done) {
                killAndWait(running);
            }
        }
    }

    private static CommandResult await(RunningCommand running, TaskContext context) throws Exception {
        CompletableFuture<CommandResult> exit = running.onExit(); // one copy, not one per poll
        while (true) {
            if (context.isCancelled()) {
                throw new CancellationException("task " + context.taskId() + " was cancelled");
            }
            try {
                return exit.get(CANCEL_POLL.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                // Still running: look at the cancellation flag again.
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Exception cause) {
                    throw cause;
                }
                throw e;
            }
        }
    }

    private static void closeStdin(RunningCommand running) throws IOException {
        try {
            running.stdinWriter().close();
        } catch (IllegalStateException stdinWasSet) {
            // parx feeds and closes it.
        }
    }

    private static void killAndWait(RunningCommand running) {
        running.kill();
        boolean interrupted = Thread.interrupted();
        try {
            // The kill ends within the command's grace; waiting makes "the task ended" mean
            // "its processes are gone". The bound is a safety net, not an expected case.
            running.onExit().handle((r, f) -> null).get(5, TimeUnit.MINUTES);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            interrupted |= e instanceof InterruptedException;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
