package dev.parx.examples;

import dev.parx.Pool;
import dev.parx.Task;
import dev.parx.TaskHandle;
import dev.parx.ipc.JvmPool;
import dev.parx.process.CommandPool;
import dev.parx.threads.ThreadPool;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Exercise 6: the same CPU-heavy job (count the primes below {@link #LIMIT} in {@link #CHUNKS}
 * chunks) on one thread, on a {@link ThreadPool}, on a {@link JvmPool} and on a
 * {@link CommandPool}, with a table of the times measured now, on this machine.
 *
 * <p>Each pool has one worker per available processor and runs the same chunks; only where they
 * run changes: threads of this JVM ({@link CountPrimesTask}), reused child JVMs (the same class,
 * its input and output copied as JSON), or one {@code java} command per chunk
 * ({@link CountPrimesCommand}). The times are wall-clock, from building each pool until the last
 * count is in (closing the pool is not timed), so the JvmPool's first run includes starting its
 * child JVMs, and it runs the job a second time on the same, now started, children; the
 * CommandPool pays for a JVM start per chunk. Child JVMs start with a cold JIT; this JVM warmed its
 * up before the first run.
 *
 * <p>Run it alone:
 * <pre>{@code
 * ./mvnw -q -Pdemo package -Dparx.demo=Comparison
 * }</pre>
 */
public final class Comparison {

    /** The primes below this number are counted. */
    static final long LIMIT = 8_000_000;
    /** pi(8,000,000). */
    static final long EXPECTED = 539_777;
    /** The chunks the job is cut into, the same for every runner. */
    static final int CHUNKS = 16;

    private Comparison() {
    }

    /**
     * One row of the table.
     *
     * @param runner where the job ran
     * @param workers how many workers it had
     * @param primes the count it found
     * @param seconds the wall-clock time it took
     */
    public record Row(String runner, int workers, long primes, double seconds) {
    }

    /**
     * What the exercise measured.
     *
     * @param cores the available processors
     * @param rows the rows, the single thread first
     */
    public record Result(int cores, List<Row> rows) {

        /**
         * Returns the speedup of a row over the single thread.
         *
         * @param row a row of this result
         * @return the single thread's time divided by the row's
         */
        public double speedup(Row row) {
            return rows.getFirst().seconds() / row.seconds();
        }
    }

    /**
     * Runs the exercise.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        run(Report.toStdout());
    }

    /**
     * Runs the job four ways and prints the table.
     *
     * @param report where to write
     * @return what was measured
     */
    public static Result run(Report report) {
        int cores = Runtime.getRuntime().availableProcessors();
        report.heading(String.format(Locale.ROOT, "6. The same job four ways: primes below %,d in %d chunks", LIMIT,
                CHUNKS));
        List<Range> chunks = chunks();
        CountPrimesTask.count(new Range(0, 1_000_000));   // let this JVM's JIT compile the prime test first

        List<Row> rows = new ArrayList<>();
        rows.add(single(report, chunks));
        rows.addAll(pooled(report, "ThreadPool (threads)", cores, chunks, CountPrimesTask.class,
                () -> ThreadPool.builder().name("compare-threads").workers(cores).build(), 1));
        // Twice: the first run starts the child JVMs, the second reuses them.
        rows.addAll(pooled(report, "JvmPool (child JVMs)", cores, chunks, CountPrimesTask.class,
                () -> JvmPool.builder().name("compare-jvms").workers(cores).build(), 2));
        rows.addAll(pooled(report, "CommandPool (java per chunk)", cores, chunks, CountPrimesCommand.class,
                () -> CommandPool.builder().name("compare-commands").workers(cores).build(), 1));
        Result result = new Result(cores, List.copyOf(rows));

        report.line("");
        report.line("%d available processors, %s %s", cores, System.getProperty("java.vm.name"),
                System.getProperty("java.version"));
        report.line("| runner                       | workers |  primes |    time | speedup |");
        report.line("|------------------------------|---------|---------|---------|---------|");
        for (Row row : rows) {
            report.line("| %-28s | %7d | %,7d | %5.2f s | %6.2fx |", row.runner(), row.workers(), row.primes(),
                    row.seconds(), result.speedup(row));
        }
        report.line("each time runs from building the pool to the last count: it includes starting %d child JVMs",
                cores);
        report.line("for the JvmPool (its second run reuses them) and %d java processes, one per chunk, for the",
                CHUNKS);
        report.line("CommandPool. On %d processors no runner can be more than %dx faster than one thread.", cores,
                cores);
        return result;
    }

    private static Row single(Report report, List<Range> chunks) {
        Report.Bar bar = report.bar("1 thread (plain loop)", chunks.size());
        long start = System.nanoTime();
        long primes = 0;
        for (Range chunk : chunks) {
            primes += CountPrimesTask.count(chunk);
            bar.add(1);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        bar.done(String.format(Locale.ROOT, "%,d primes", primes));
        return new Row("1 thread (plain loop)", 1, primes, seconds);
    }

    /**
     * Runs the job on a new pool, {@code runs} times in a row; the first run's time includes
     * building the pool, each later one finds its workers started.
     */
    private static List<Row> pooled(Report report, String runner, int workers, List<Range> chunks,
            Class<? extends Task<Range, Long>> task, Supplier<? extends Pool> pools, int runs) {
        List<Row> rows = new ArrayList<>();
        long start = System.nanoTime();
        try (Pool pool = pools.get()) {
            for (int run = 0; run < runs; run++) {
                String name = run == 0 ? runner : runner.replaceAll(" \\(.*", "") + " again (reused)";
                Report.Bar bar = report.bar(name, chunks.size());
                List<TaskHandle<Long>> handles = new ArrayList<>();
                for (Range chunk : chunks) {
                    TaskHandle<Long> handle = pool.submit(task, chunk);
                    handle.toCompletableFuture().whenComplete((count, failure) -> bar.add(1));
                    handles.add(handle);
                }
                long primes = 0;
                for (TaskHandle<Long> handle : handles) {
                    primes += handle.join();
                }
                double seconds = (System.nanoTime() - start) / 1e9;   // the job is done; closing is not timed
                bar.done(String.format(Locale.ROOT, "%,d primes", primes));
                rows.add(new Row(name, workers, primes, seconds));
                start = System.nanoTime();
            }
        }
        return rows;
    }

    /** The chunks, the costliest (highest numbers) first, so that no worker ends alone on a big one. */
    private static List<Range> chunks() {
        List<Range> chunks = new ArrayList<>();
        long size = LIMIT / CHUNKS;
        for (int i = 0; i < CHUNKS; i++) {
            chunks.add(new Range(i * size, i == CHUNKS - 1 ? LIMIT : (i + 1) * size));
        }
        return chunks.reversed();
    }
}
