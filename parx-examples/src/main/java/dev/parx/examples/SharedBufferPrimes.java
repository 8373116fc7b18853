package dev.parx.examples;

import dev.parx.TaskHandle;
import dev.parx.threads.SharedBuffer;
import dev.parx.threads.ThreadPool;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Exercise 4: count primes in parallel on 4 threads that share an off-heap {@link SharedBuffer}.
 *
 * <p>The buffer is native memory outside the Java heap (the JVM's {@code SharedArrayBuffer}). It
 * holds a work counter that the threads take chunks from with an atomic {@code getAndAddLong}, the
 * running total of primes, and one slot per thread; the submitter reads the number of finished
 * chunks with a volatile load to draw its progress bar while the threads work. See
 * {@link SharedPrimesTask} for the layout.
 *
 * <p>Run it alone:
 * <pre>{@code
 * ./mvnw -q -Pdemo package -Dparx.demo=SharedBufferPrimes
 * }</pre>
 */
public final class SharedBufferPrimes {

    /** The threads. */
    static final int THREADS = 4;
    /** The primes below this number are counted. */
    static final long LIMIT = 6_000_000;
    /** pi(6,000,000). */
    static final long EXPECTED = 412_849;
    private static final long CHUNK = 50_000;

    private SharedBufferPrimes() {
    }

    /**
     * What the exercise saw.
     *
     * @param total the total the threads added up in the shared buffer
     * @param sumOfThreads the sum of the counts the four tasks returned
     * @param chunksPerThread how many chunks each thread took, from its slot in the buffer
     */
    public record Result(long total, long sumOfThreads, List<Long> chunksPerThread) {
    }

    /**
     * Runs the exercise.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted while waiting for the threads
     */
    public static void main(String[] args) throws InterruptedException {
        run(Report.toStdout());
    }

    /**
     * Counts the primes below {@link #LIMIT} on {@link #THREADS} threads that share one buffer.
     *
     * @param report where to write
     * @return what was seen
     * @throws InterruptedException if interrupted while waiting for the threads
     */
    public static Result run(Report report) throws InterruptedException {
        report.heading("4. Primes on " + THREADS + " threads sharing an off-heap SharedBuffer");
        long chunks = LIMIT / CHUNK;
        try (SharedBuffer buffer = SharedBuffer.allocate(SharedPrimesTask.SLOTS + 8L * THREADS);
             ThreadPool pool = ThreadPool.builder().name("shared").workers(THREADS).build()) {
            Report.Bar bar = report.bar(String.format(Locale.ROOT, "primes below %,d, %d threads", LIMIT, THREADS),
                    chunks);
            List<TaskHandle<Long>> handles = new ArrayList<>();
            for (int thread = 0; thread < THREADS; thread++) {
                handles.add(pool.submit(SharedPrimesTask.class, new SharedPrimesTask.Job(buffer, thread, chunks, CHUNK)));
            }
            CompletableFuture<Void> all = CompletableFuture.allOf(
                    handles.stream().map(TaskHandle::toCompletableFuture).toArray(CompletableFuture[]::new));
            while (!all.isDone()) {
                bar.set(buffer.getLongVolatile(SharedPrimesTask.CHUNKS_DONE));
                try {
                    all.get(50, TimeUnit.MILLISECONDS);
                } catch (TimeoutException stillRunning) {
                    // draw the bar again
                } catch (ExecutionException failed) {
                    break;   // join below throws the task's exception
                }
            }
            long sum = handles.stream().mapToLong(TaskHandle::join).sum();
            long total = buffer.getLongVolatile(SharedPrimesTask.TOTAL);
            List<Long> perThread = new ArrayList<>();
            for (int thread = 0; thread < THREADS; thread++) {
                perThread.add(buffer.getLong(SharedPrimesTask.SLOTS + 8L * thread));
            }
            bar.done(String.format(Locale.ROOT, "%,d primes in the shared total", total));
            report.line("chunks of %,d taken by each thread: %s (sum of the tasks' own counts: %,d)", CHUNK,
                    perThread, sum);
            return new Result(total, sum, List.copyOf(perThread));
        }
    }
}
