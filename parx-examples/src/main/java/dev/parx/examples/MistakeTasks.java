package dev.parx.examples;

import dev.parx.Task;
import dev.parx.TaskContext;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The small tasks that {@link CommonMistakes} runs. */
public final class MistakeTasks {

    private MistakeTasks() {
    }

    /** Waits as a blocking call would (a socket read, a database query): it holds its thread and uses no CPU. */
    public static final class BlockingCall implements Task<Duration, Boolean> {

        /** Creates the task; pools do, by class name. */
        public BlockingCall() {
        }

        /** Returns whether it ran on a virtual thread. */
        @Override
        public Boolean run(Duration wait, TaskContext context) throws InterruptedException {
            Thread.sleep(wait);   // stands in for the I/O
            return Thread.currentThread().isVirtual();
        }
    }

    /** Fails as a bug in a task would. */
    public static final class Failing implements Task<String, String> {

        /** Creates the task; pools do, by class name. */
        public Failing() {
        }

        @Override
        public String run(String customer, TaskContext context) {
            throw new IllegalArgumentException("no customer named '" + customer + "'");
        }
    }

    /** Ends its JVM with an exit code, as native code or a library that calls {@code System.exit} may. Only for child JVMs. */
    public static final class Exiting implements Task<Integer, String> {

        /** Creates the task; pools do, by class name. */
        public Exiting() {
        }

        @Override
        public String run(Integer code, TaskContext context) {
            System.exit(code);
            return "unreachable";
        }
    }

    /**
     * What {@link Gated} tasks share, by reference (they run on threads of this JVM).
     *
     * @param started counted down by each task as it starts
     * @param release opened by the submitter to let the tasks end
     * @param running how many tasks run now
     * @param peak the most that ever ran at once
     */
    public record Gate(CountDownLatch started, CountDownLatch release, AtomicInteger running, AtomicInteger peak) {
    }

    /** Runs until its gate opens, counting how many such tasks run at once. */
    public static final class Gated implements Task<Gate, Integer> {

        /** Creates the task; pools do, by class name. */
        public Gated() {
        }

        @Override
        public Integer run(Gate gate, TaskContext context) throws InterruptedException {
            int now = gate.running().incrementAndGet();
            gate.peak().accumulateAndGet(now, Math::max);
            gate.started().countDown();
            try {
                if (!gate.release().await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the gate was never opened");
                }
                return now;
            } finally {
                gate.running().decrementAndGet();
            }
        }
    }
}
