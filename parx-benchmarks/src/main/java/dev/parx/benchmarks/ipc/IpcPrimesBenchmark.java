package dev.parx.benchmarks.ipc;

import dev.parx.TaskHandle;
import dev.parx.benchmarks.PrimesBenchmark;
import dev.parx.ipc.JvmPool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The primes below 20,000,000 of {@link PrimesBenchmark}, in 64 ranges: on this thread, or as 64
 * tasks on a JvmPool of two warm workers, with the pool's default JVM options or with C1 only
 * ({@code -XX:TieredStopAtLevel=1}), the CPU-heavy side of choosing the defaults.
 */
@State(Scope.Benchmark)
public class IpcPrimesBenchmark {

    /** Where the ranges are counted. */
    @Param({"1 thread", "parx 2 workers", "parx 2 workers c1"})
    public String impl;

    private Path directory;
    private JvmPool pool;

    /**
     * Starts the pool.
     *
     * @throws IOException if the directory cannot be made
     */
    @Setup(Level.Trial)
    public void start() throws IOException {
        directory = Files.createTempDirectory("parx-primes-bench");
        if (!impl.equals("1 thread")) {
            JvmPool.Builder builder = JvmPool.builder().name("primes").workers(2).prestart(2)
                    .aotCacheDirectory(directory.resolve("aot"));
            if (impl.endsWith("c1")) {
                builder.jvmOptions("-XX:TieredStopAtLevel=1");
            }
            pool = IpcSupport.started(builder, IpcSupport.jarredClasspath(directory));
        }
    }

    /** Stops it. */
    @TearDown(Level.Trial)
    public void stop() {
        if (pool != null) {
            IpcSupport.close(pool);
        }
        IpcSupport.delete(directory);
    }

    /**
     * Counts the primes.
     *
     * @return the count
     * @throws Exception if a task failed
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public long ipcPrimes() throws Exception {
        long total = 0;
        if (pool == null) {
            for (int i = 0; i < PrimesBenchmark.RANGES; i++) {
                int[] range = PrimesBenchmark.range(i);
                total += PrimesBenchmark.count(range[0], range[1]);
            }
            return PrimesBenchmark.check(total);
        }
        List<TaskHandle<Long>> handles = new ArrayList<>(PrimesBenchmark.RANGES);
        for (int i = 0; i < PrimesBenchmark.RANGES; i++) {
            handles.add(pool.submit(PrimesBenchmark.CountPrimes.class, PrimesBenchmark.range(i)));
        }
        for (TaskHandle<Long> handle : handles) {
            total += handle.get();
        }
        return PrimesBenchmark.check(total);
    }
}
