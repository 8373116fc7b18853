package dev.parx.benchmarks;

import dev.parx.Task;
import dev.parx.TaskContext;
import dev.parx.TaskHandle;
import dev.parx.threads.ThreadPool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Counts the primes below 20,000,000 with a segmented sieve, in 64 equal ranges: one after another
 * on the benchmark thread, as 64 tasks on a ThreadPool of two workers, or split between two plain
 * threads started for the purpose. CPU-bound work that splits evenly, to show what two workers buy
 * on two cores; the plain threads show what the machine allows without any pool.
 */
@State(Scope.Benchmark)
public class PrimesBenchmark {

    /** The primes are counted below this. */
    public static final int LIMIT = 20_000_000;
    /** Into how many ranges the count is split. */
    public static final int RANGES = 64;
    /** The answer, checked on every run. */
    static final long PRIMES_BELOW_LIMIT = 1_270_607;

    private ThreadPool pool;

    /** Counts the primes in {@code [from, to)}. */
    public static final class CountPrimes implements Task<int[], Long> {
        /** For the pool's reflection. */
        public CountPrimes() {
        }

        @Override
        public Long run(int[] range, TaskContext context) {
            return count(range[0], range[1]);
        }
    }

    /** Starts the pool. */
    @Setup(Level.Trial)
    public void start() {
        pool = ThreadPool.builder().name("primes").workers(2).build();
    }

    /**
     * Stops the pool.
     *
     * @throws InterruptedException if interrupted
     */
    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        pool.close();
        pool.awaitTermination(Duration.ofSeconds(30));
    }

    /**
     * All ranges on this thread.
     *
     * @return the count
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public long primesOneThread() {
        long total = 0;
        for (int i = 0; i < RANGES; i++) {
            int[] range = range(i);
            total += count(range[0], range[1]);
        }
        return check(total);
    }

    /**
     * All ranges as tasks on two workers.
     *
     * @return the count
     * @throws Exception if a task failed
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public long primesTwoWorkers() throws Exception {
        List<TaskHandle<Long>> handles = new ArrayList<>(RANGES);
        for (int i = 0; i < RANGES; i++) {
            handles.add(pool.submit(CountPrimes.class, range(i)));
        }
        long total = 0;
        for (TaskHandle<Long> handle : handles) {
            total += handle.get();
        }
        return check(total);
    }

    /**
     * All ranges split between two threads started for this call, each taking every other range.
     *
     * @return the count
     * @throws InterruptedException if interrupted
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public long primesTwoThreads() throws InterruptedException {
        long[] totals = new long[2];
        Thread[] threads = new Thread[2];
        for (int t = 0; t < threads.length; t++) {
            int first = t;
            threads[t] = Thread.ofPlatform().start(() -> {
                long total = 0;
                for (int i = first; i < RANGES; i += 2) {
                    int[] range = range(i);
                    total += count(range[0], range[1]);
                }
                totals[first] = total;
            });
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return check(totals[0] + totals[1]);   // join makes the totals visible
    }

    /**
     * Returns range {@code i} of {@link #RANGES}.
     *
     * @param i the range
     * @return from (inclusive) and to (exclusive)
     */
    public static int[] range(int i) {
        long span = LIMIT / RANGES;
        return new int[] {(int) (i * span), i == RANGES - 1 ? LIMIT : (int) ((i + 1) * span)};
    }

    /**
     * Checks the count.
     *
     * @param total the count
     * @return it
     * @throws IllegalStateException if it is wrong
     */
    public static long check(long total) {
        if (total != PRIMES_BELOW_LIMIT) {
            throw new IllegalStateException("counted " + total + " primes, expected " + PRIMES_BELOW_LIMIT);
        }
        return total;
    }

    /**
     * Counts primes in [from, to) by sieving the range with the primes up to its square root.
     *
     * @param from the first number
     * @param to past the last
     * @return the count
     */
    public static long count(int from, int to) {
        int root = (int) Math.sqrt(to) + 1;
        boolean[] small = new boolean[root + 1];   // true = composite
        boolean[] composite = new boolean[to - from];
        for (int p = 2; p <= root; p++) {
            if (small[p]) {
                continue;
            }
            for (long m = (long) p * p; m <= root; m += p) {
                small[(int) m] = true;
            }
            long first = Math.max((long) p * p, ((from + p - 1L) / p) * p);
            for (long m = first; m < to; m += p) {
                composite[(int) (m - from)] = true;
            }
        }
        long count = 0;
        for (int n = Math.max(from, 2); n < to; n++) {
            if (!composite[n - from]) {
                count++;
            }
        }
        return count;
    }
}
