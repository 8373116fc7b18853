package dev.parx.threads;

import dev.parx.Task;
import dev.parx.TaskContext;
import java.time.Duration;

/** Tasks that only a pool of threads can run, for tests of thread-specific behaviour. */
public final class TestTasks {

    private TestTasks() {
    }

    /** Overflows the stack. */
    public static final class Recurse implements Task<Integer, Integer> {
        @Override
        public Integer run(Integer depth, TaskContext context) {
            return run(depth + 1, context) + 1;
        }
    }

    /** Asks for an array larger than the VM allows: a real OutOfMemoryError, with no heap used. */
    public static final class HugeArray implements Task<Integer, Integer> {
        @Override
        public Integer run(Integer ignored, TaskContext context) {
            return new long[Integer.MAX_VALUE - 2].length;
        }
    }

    /** Returns the worker id and whether the thread is virtual. */
    public static final class WhoAmI implements Task<String, String> {
        @Override
        public String run(String ignored, TaskContext context) {
            return context.workerId() + (Thread.currentThread().isVirtual() ? " virtual" : " platform")
                    + (Thread.currentThread().getName().equals(context.workerId()) ? "" : " mismatch");
        }
    }

    /** Returns its input object itself. */
    public static final class Identity implements Task<Object, Object> {
        @Override
        public Object run(Object input, TaskContext context) {
            return input;
        }
    }

    /** Reports whether its thread starts interrupted. */
    public static final class StartsInterrupted implements Task<String, Boolean> {
        @Override
        public Boolean run(String ignored, TaskContext context) {
            return Thread.currentThread().isInterrupted();
        }
    }

    /** Reports progress with the input as fraction. */
    public static final class BadProgress implements Task<Double, String> {
        @Override
        public String run(Double fraction, TaskContext context) {
            context.progress(fraction, "step");
            return "reported";
        }
    }

    /** Receives an Integer message. */
    public static final class ReceiveInteger implements Task<String, Integer> {
        @Override
        public Integer run(String ignored, TaskContext context) throws InterruptedException {
            context.emit("ready");
            return context.receive(Integer.class, Duration.ofSeconds(30));
        }
    }

    /** Not public: a pool cannot instantiate it. */
    static final class Hidden implements Task<String, String> {
        @Override
        public String run(String input, TaskContext context) {
            return input;
        }
    }

    /** Has no no-argument constructor. */
    public static final class NeedsArgument implements Task<String, String> {
        private final String prefix;

        /**
         * Creates the task.
         *
         * @param prefix a prefix
         */
        public NeedsArgument(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public String run(String input, TaskContext context) {
            return prefix + input;
        }
    }

    /** Abstract: cannot be instantiated. */
    public abstract static class Abstract implements Task<String, String> {
    }
}
