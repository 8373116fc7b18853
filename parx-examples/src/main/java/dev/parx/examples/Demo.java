package dev.parx.examples;

import dev.parx.TaskHandle;
import dev.parx.threads.ThreadPool;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The README's demo: counts the primes below 20,000,000 on one thread, then on a ThreadPool of
 * four workers, with a live progress line, and prints both timings and the speedup as measured
 * now, on this machine.
 */
public final class Demo {

    private static final long LIMIT = 20_000_000;
    private static final int CHUNKS = 200;
    private static final int WORKERS = 4;
    /** pi(20,000,000), to check both runs against. */
    private static final long EXPECTED = 1_270_607;

    private final PrintStream out = System.out;

    private Demo() {
    }

    /**
     * Runs the demo.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        System.exit(new Demo().run());
    }

    private int run() throws InterruptedException {
        List<Range> chunks = chunks(LIMIT, CHUNKS);
        out.printf(Locale.ROOT, "parx demo: counting the primes below %,d by trial division, in %d chunks%n",
                LIMIT, CHUNKS);
        out.printf(Locale.ROOT, "this machine: %d processors, %s %s%n%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"), System.getProperty("java.version"));

        // Let the JIT compile the prime test first, so that neither run pays for it.
        CountPrimesTask.count(new Range(0, 2_000_000));

        Result single = measure("1 thread", progress -> {
            long total = 0;
            for (Range chunk : chunks) {
                total += CountPrimesTask.count(chunk);
                progress.incrementAndGet();
            }
            return total;
        });
        Result pooled = measure("ThreadPool, " + WORKERS + " workers", progress -> {
            try (ThreadPool pool = ThreadPool.builder().name("primes").workers(WORKERS).build()) {
                List<TaskHandle<Long>> handles = new ArrayList<>();
                for (Range chunk : chunks) {
                    TaskHandle<Long> handle = pool.submit(CountPrimesTask.class, chunk);
                    handle.toCompletableFuture().thenRun(progress::incrementAndGet);
                    handles.add(handle);
                }
                return handles.stream().mapToLong(TaskHandle::join).sum();
            }
        });

        out.println();
        out.println("| run                     | primes    | time     | speedup |");
        out.println("|-------------------------|-----------|----------|---------|");
        for (Result result : List.of(single, pooled)) {
            out.printf(Locale.ROOT, "| %-23s | %,9d | %6.3f s | %6.2fx |%n", result.name, result.primes,
                    result.nanos / 1e9, (double) single.nanos / result.nanos);
        }
        boolean correct = single.primes == EXPECTED && pooled.primes == EXPECTED;
        out.printf(Locale.ROOT, "%nboth counts %s pi(%,d) = %,d%n", correct ? "match" : "DO NOT MATCH", LIMIT, EXPECTED);
        return correct ? 0 : 1;
    }

    private interface Job {
        long run(AtomicLong progress) throws InterruptedException;
    }

    private record Result(String name, long primes, long nanos) {
    }

    private Result measure(String name, Job job) throws InterruptedException {
        AtomicLong done = new AtomicLong();
        Thread ticker = Thread.ofPlatform().daemon().name("demo-progress").start(() -> showProgress(name, done::get));
        long start = System.nanoTime();
        long primes = job.run(done);
        long nanos = System.nanoTime() - start;
        ticker.interrupt();
        ticker.join();
        out.printf(Locale.ROOT, "\r%-24s %s 100%%  %,d primes in %.3f s%n", name, bar(1.0), primes, nanos / 1e9);
        return new Result(name, primes, nanos);
    }

    private void showProgress(String name, LongSupplier done) {
        while (!Thread.currentThread().isInterrupted()) {
            double fraction = (double) done.getAsLong() / CHUNKS;
            out.printf(Locale.ROOT, "\r%-24s %s %3d%%", name, bar(fraction), (int) (fraction * 100));
            out.flush();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static String bar(double fraction) {
        int filled = (int) Math.round(fraction * 30);
        return "[" + "#".repeat(filled) + " ".repeat(30 - filled) + "]";
    }

    private static List<Range> chunks(long limit, int count) {
        List<Range> chunks = new ArrayList<>();
        long size = limit / count;
        for (int i = 0; i < count; i++) {
            chunks.add(new Range(i * size, i == count - 1 ? limit : (i + 1) * size));
        }
        return chunks;
    }
}
