package dev.parx.engine.internal;

import static org.jetbrains.lincheck.datastructures.ManagedStrategyGuaranteeKt.forClasses;

import dev.parx.PoolStats;
import dev.parx.Task;
import dev.parx.TaskContext;
import dev.parx.TaskTimeoutException;
import dev.parx.WorkerCrashedException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import kotlin.Unit;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A handle's completion, by Lincheck's model checking (every interleaving up to a bound, at every
 * field access of {@link TaskRun} and every monitor of {@link StatsRecorder}) and stress mode:
 * exactly one of succeed, fail (timeout), fail (crash) and cancel wins, a completion that lost
 * returns only once the handle is done, and whenever a handle is done the pool's statistics count it, once,
 * with its kind, and add up. A waiter that blocks in {@code join} while the completions race is
 * released with the winner. The default build runs a few iterations of the model checking; the
 * rest is tagged {@code proofs}.
 */
class TaskRunLincheckTest {

    public static final class Echo implements Task<String, String> {
        @Override
        public String run(String input, TaskContext context) {
            return input;
        }
    }

    /** The pool side: one accepted task, counted by a real {@link StatsRecorder}. */
    static final class Pool implements TaskRun.Owner {
        final StatsRecorder stats = new StatsRecorder("proof", 1);

        @Override
        public String taskIdPrefix() {
            return "t";
        }

        @Override
        public void cancelled(TaskRun<?> run, boolean mayInterrupt) {
        }

        @Override
        public void completing(TaskRun<?> run, Throwable failure, long nanos) {
            stats.completed(-1, run, failure, nanos);
        }

        PoolStats snapshot() {
            return stats.snapshot(1, 0, () -> 1);
        }
    }

    /** The operations Lincheck calls, on a fresh handle per scenario. */
    @Param(name = "value", gen = IntGen.class, conf = "1:3")
    public static class Handle {
        final Pool pool = new Pool();
        final TaskRun<String> run = new TaskRun<>(pool, 1, Echo.class, "in", Duration.ofSeconds(1), 0);

        /**
         * A worker's start: not ordered with the rest, since a start may fail on a completion whose
         * hook still runs (the worker then skips the task, which nobody sees); what it does to the
         * statistics is checked by {@link #statsAgree}.
         */
        @Operation(nonParallelGroup = "worker")
        public void start() {
            pool.stats.tryStart(0, run, System.nanoTime());
        }

        @Operation(nonParallelGroup = "worker")
        public void succeed(@Param(name = "value") int value) {
            run.succeed(String.valueOf(value), System.nanoTime());
        }

        @Operation
        public void timeOut() {
            run.fail(new TaskTimeoutException(run.id(), Duration.ofSeconds(1)));
        }

        @Operation
        public void crash() {
            run.fail(new WorkerCrashedException("w", run.id(), "exited", 137, List.of()));
        }

        @Operation
        public boolean cancel() {
            return run.cancel(true);
        }

        @Operation
        public String outcome() {
            return run.isDone() ? describe(run) : "pending";
        }

        /** Not part of the order: stats may count a completion a moment before the handle shows it. */
        @Operation
        public boolean statsAgree() {
            String seen = run.isDone() ? describe(run) : null;
            PoolStats stats = pool.snapshot();
            long done = stats.completed() + stats.failed() + stats.cancelled();
            boolean addsUp = stats.submitted() == done + stats.queued() + stats.active() && done <= 1
                    && stats.timedOut() <= stats.failed();
            if (seen == null) {
                return addsUp;
            }
            return addsUp && done == 1 && switch (seen) {
                case "cancelled" -> stats.cancelled() == 1;
                case "timeout" -> stats.failed() == 1 && stats.timedOut() == 1;
                case "crash" -> stats.failed() == 1 && stats.timedOut() == 0;
                default -> stats.completed() == 1;
            };
        }

        /** Blocks until done: only in the custom scenario, where a completion always comes. */
        public String join() {
            try {
                run.get();
            } catch (InterruptedException | ExecutionException | CancellationException e) {
                // described below
            }
            return describe(run);
        }
    }

    static String describe(TaskRun<?> run) {
        try {
            return "ok:" + run.get();
        } catch (CancellationException e) {
            return "cancelled";
        } catch (ExecutionException e) {
            return e.getCause() instanceof TaskTimeoutException ? "timeout" : "crash";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** The sequential specification: the first completion wins. */
    public static final class Spec {
        private String winner;

        public void start() {
        }

        public void succeed(int value) {
            complete("ok:" + value);
        }

        public void timeOut() {
            complete("timeout");
        }

        public void crash() {
            complete("crash");
        }

        public boolean cancel() {
            return complete("cancelled");
        }

        public String outcome() {
            return winner == null ? "pending" : winner;
        }

        public boolean statsAgree() {
            return true;
        }

        public String join() {
            return outcome();
        }

        private boolean complete(String outcome) {
            if (winner != null) {
                return false;
            }
            winner = outcome;
            return true;
        }
    }

    @Test
    @Timeout(120)
    void exactlyOneCompletionWinsInTheFirstInterleavings() {
        modelChecking(3, 100).check(Handle.class);
    }

    @Test
    @Tag("proofs")
    @Timeout(600)
    void exactlyOneCompletionWinsInEveryInterleaving() {
        modelChecking(30, 500).check(Handle.class);
    }

    private static ModelCheckingOptions modelChecking(int iterations, int invocations) {
        return new ModelCheckingOptions()
                // touched only under a stripe's monitor; its bucket loops look like spinning to the checker
                .addGuarantee(forClasses(Histogram.class.getName()).allMethods().ignore())
                .iterations(iterations)
                .invocationsPerIteration(invocations)
                .threads(3)
                .actorsPerThread(2)
                .actorsBefore(0)
                .actorsAfter(2)
                .sequentialSpecification(Spec.class);
    }

    @Test
    @Tag("proofs")
    @Timeout(600)
    void exactlyOneCompletionWinsUnderStress() {
        new StressOptions()
                .iterations(20)
                .invocationsPerIteration(2_000)
                .threads(3)
                .actorsPerThread(2)
                .actorsBefore(0)
                .actorsAfter(2)
                .sequentialSpecification(Spec.class)
                .check(Handle.class);
    }

    @Test
    @Tag("proofs")
    @Timeout(600)
    void aWaiterIsReleasedWithTheWinner() throws NoSuchMethodException {
        Method succeed = Handle.class.getMethod("succeed", int.class);
        Method cancel = Handle.class.getMethod("cancel");
        Method crash = Handle.class.getMethod("crash");
        Method join = Handle.class.getMethod("join");
        new ModelCheckingOptions()
                .iterations(0)
                .invocationsPerIteration(2_000)
                .addCustomScenario(scenario -> {
                    scenario.parallel(threads -> {
                        threads.thread(t -> add(t, join));
                        threads.thread(t -> add(t, succeed, 1));
                        threads.thread(t -> {
                            add(t, cancel);
                            return add(t, crash);
                        });
                        return Unit.INSTANCE;
                    });
                    return Unit.INSTANCE;
                })
                .sequentialSpecification(Spec.class)
                .check(Handle.class);
    }

    private static Unit add(List<Actor> thread, Method method, Object... arguments) {
        thread.add(new Actor(method, List.of(arguments)));
        return Unit.INSTANCE;
    }
}
