package dev.parx.benchmarks.process;

import dev.parx.Pool;
import dev.parx.TaskContext;
import dev.parx.TaskHandle;
import dev.parx.process.Command;
import dev.parx.process.CommandPool;
import dev.parx.process.CommandResult;
import dev.parx.process.CommandTask;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * 200 short commands ({@code echo <i>}) through a {@link CommandPool} beside a hand-written
 * {@code ExecutorService} that runs {@code ProcessBuilder} and reads stdout itself, with 2 and 8
 * workers. Time per batch of 200.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class CommandPoolBenchmark {

    private static final int COMMANDS = 200;

    /** Workers, and so processes running at once. */
    @Param({"2", "8"})
    public int workers;

    private Pool pool;
    private ExecutorService executor;

    /** The task each command runs. */
    public static final class Echo extends CommandTask<Integer, String> {
        @Override
        protected Command command(Integer input, TaskContext context) {
            return Command.of("echo", input.toString());
        }

        @Override
        protected String result(Integer input, CommandResult result) {
            return result.stdout();
        }
    }

    /** Starts the pools. */
    @Setup(Level.Trial)
    public void start() {
        pool = CommandPool.builder().workers(workers).build();
        executor = Executors.newFixedThreadPool(workers);
    }

    /** Stops the pools. */
    @TearDown(Level.Trial)
    public void stop() {
        pool.close();
        executor.close();
    }

    /**
     * parx.
     *
     * @return the total output length
     */
    @Benchmark
    public int commandPool() {
        List<TaskHandle<String>> handles = new ArrayList<>(COMMANDS);
        for (int i = 0; i < COMMANDS; i++) {
            handles.add(pool.submit(Echo.class, i));
        }
        int total = 0;
        for (TaskHandle<String> handle : handles) {
            total += handle.join().length();
        }
        return total;
    }

    /**
     * The JDK alone.
     *
     * @return the total output length
     * @throws Exception never expected
     */
    @Benchmark
    public int executorAndProcessBuilder() throws Exception {
        List<Future<String>> futures = new ArrayList<>(COMMANDS);
        for (int i = 0; i < COMMANDS; i++) {
            String arg = Integer.toString(i);
            futures.add(executor.submit(() -> {
                Process process = new ProcessBuilder("echo", arg).redirectErrorStream(true).start();
                process.getOutputStream().close();
                String out = new String(process.getInputStream().readAllBytes());
                process.waitFor();
                process.getInputStream().close();
                return out;
            }));
        }
        int total = 0;
        for (Future<String> future : futures) {
            total += future.get().length();
        }
        return total;
    }
}
