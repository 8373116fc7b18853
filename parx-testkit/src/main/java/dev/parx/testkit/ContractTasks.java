package dev.parx.testkit;

import dev.parx.Task;
import dev.parx.testkit.tasks.EchoMessagesTask;
import dev.parx.testkit.tasks.EchoTask;
import dev.parx.testkit.tasks.EmitMessagesTask;
import dev.parx.testkit.tasks.FailTask;
import dev.parx.testkit.tasks.IgnoreCancellationTask;
import dev.parx.testkit.tasks.PayloadTask;
import dev.parx.testkit.tasks.ReportProgressTask;
import dev.parx.testkit.tasks.SleepUntilCancelledTask;
import dev.parx.testkit.tasks.SumTask;
import java.util.Optional;

/**
 * The tasks that {@link PoolContract} runs, one per role. The defaults are the Java tasks of
 * {@code dev.parx.testkit.tasks}; a pool that runs other kinds of tasks (commands, say) overrides
 * each method with a task that behaves as the role describes.
 */
public interface ContractTasks {

    /**
     * Returns the standard Java tasks.
     *
     * @return the fixture
     */
    static ContractTasks standard() {
        return new ContractTasks() {
        };
    }

    /**
     * A task that returns its input unchanged.
     *
     * @return the task class
     */
    default Class<? extends dev.parx.Task<String, String>> echo() {
        return EchoTask.class;
    }

    /**
     * A task that returns the sum of its input numbers.
     *
     * @return the task class
     */
    default Class<? extends Task<long[], Long>> sum() {
        return SumTask.class;
    }

    /**
     * A task that fails with its input as the failure's message.
     *
     * @return the task class
     */
    default Class<? extends Task<String, String>> fail() {
        return FailTask.class;
    }

    /**
     * The class name that {@code TaskFailedException.exceptionClassName()} reports for {@link #fail()}.
     *
     * @return the exception's class name
     */
    default String failureClassName() {
        return IllegalStateException.class.getName();
    }

    /**
     * Whether the failure's stack names the {@link #fail()} task's class, as it does for Java tasks.
     *
     * @return true for Java tasks
     */
    default boolean failureStackNamesTask() {
        return true;
    }

    /**
     * A task that emits {@code "started"}, then waits until cancelled or until its input (in
     * milliseconds) passes.
     *
     * @return the task class
     */
    default Class<? extends Task<Long, String>> sleepUntilCancelled() {
        return SleepUntilCancelledTask.class;
    }

    /**
     * A task that emits {@code "started"}, then runs for its input (in milliseconds) ignoring
     * cancellation.
     *
     * @return the task class
     */
    default Class<? extends Task<Long, String>> ignoreCancellation() {
        return IgnoreCancellationTask.class;
    }

    /**
     * A task that emits {@code "message-0"} to {@code "message-<n-1>"} and returns n.
     *
     * @return the task class
     */
    default Class<? extends Task<Integer, Integer>> emitMessages() {
        return EmitMessagesTask.class;
    }

    /**
     * A task that reports progress {@code i/n} with message {@code "step i"} for i from 1 to n.
     *
     * @return the task class
     */
    default Class<? extends Task<Integer, Integer>> reportProgress() {
        return ReportProgressTask.class;
    }

    /**
     * A task that emits {@code "ready"}, then receives n strings, emitting {@code "echo:<s>"} for
     * each, and returns n.
     *
     * @return the task class
     */
    default Class<? extends Task<Integer, Integer>> echoMessages() {
        return EchoMessagesTask.class;
    }

    /**
     * A task that returns its input bytes reversed.
     *
     * @return the task class
     */
    default Class<? extends Task<byte[], byte[]>> payload() {
        return PayloadTask.class;
    }

    /**
     * A task that makes the worker running it die (a child JVM that exits, a member that leaves)
     * instead of failing by itself; empty where a pool's workers cannot die of a task, as threads
     * cannot, and the contract then skips the crash test.
     *
     * @return the task class, or empty
     */
    default Optional<Class<? extends Task<String, String>>> crashWorker() {
        return Optional.empty();
    }

    /**
     * How many tasks the bulk test runs; 10,000 unless a pool's tasks are too costly for that.
     *
     * @return the number of tasks
     */
    default int bulkTaskCount() {
        return 10_000;
    }
}
