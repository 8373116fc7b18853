package dev.parx;

/**
 * A unit of work that a {@link Pool} runs: the one interface users implement.
 *
 * <p>A task class must be {@code public}, concrete, have a {@code public} no-argument constructor,
 * and keep no state between runs: a pool instantiates it by class, possibly in another JVM, and may
 * create a fresh instance for every run. On the module path, the task's package must be exported to
 * (or opened to) the module of the pool that runs it.
 *
 * <p>Inputs and outputs are values. A pool may hand the task the submitted object itself (threads)
 * or a copy of it (child JVMs copy through JSON), so a task must not rely on identity, and the
 * submitter must not mutate an input after submitting it.
 *
 * <pre>{@code
 * public final class WordCount implements Task<String, Integer> {
 *     public Integer run(String text, TaskContext context) {
 *         context.checkCancelled();
 *         return text.split("\\s+").length;
 *     }
 * }
 * }</pre>
 *
 * @param <I> the input type
 * @param <O> the output type
 */
@FunctionalInterface
public interface Task<I, O> {

    /**
     * Runs the task once.
     *
     * <p>Called on a worker of the pool, never concurrently on the same instance. Every write the
     * task makes before returning happens-before the completion of its {@link TaskHandle}. The
     * task should poll {@link TaskContext#isCancelled()} or respond to interruption: cancellation
     * and timeouts are cooperative on threads.
     *
     * @param input the submitted input (possibly a copy); may be {@code null} if {@code null} was submitted
     * @param context the task's link to its submitter: cancellation, progress, messages
     * @return the output that completes the task's handle
     * @throws Exception any failure; the handle completes with a {@link TaskFailedException}
     *     that keeps the exception's class name, message and stack
     */
    O run(I input, TaskContext context) throws Exception;
}
