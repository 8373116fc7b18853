package dev.parx.examples;

import dev.parx.Task;
import dev.parx.TaskContext;
import dev.parx.threads.SharedBuffer;

/**
 * One of the threads of {@link SharedBufferPrimes}: takes the next chunk of numbers from a counter
 * in a {@link SharedBuffer}, counts its primes, adds them to the shared total, and repeats until no
 * chunk is left. Every thread does the same, so a thread that gets cheap chunks simply takes more.
 */
public final class SharedPrimesTask implements Task<SharedPrimesTask.Job, Long> {

    /** Offset of the index of the next chunk to take (a long, updated with getAndAdd). */
    static final long NEXT_CHUNK = 0;
    /** Offset of the number of chunks finished, which the submitter reads for its progress bar. */
    static final long CHUNKS_DONE = 8;
    /** Offset of the total number of primes found so far. */
    static final long TOTAL = 16;
    /** Offset of the first per-thread slot; thread {@code i} writes how many chunks it took at {@code SLOTS + 8 i}. */
    static final long SLOTS = 64;

    /**
     * What one thread works on: the buffer is passed by reference, nothing is copied.
     *
     * @param buffer the shared memory, laid out as the offsets of this class say
     * @param thread this thread's index, for its slot
     * @param chunks how many chunks there are
     * @param chunkSize the numbers in a chunk
     */
    public record Job(SharedBuffer buffer, int thread, long chunks, long chunkSize) {
    }

    /** Creates the task; pools do, by class name. */
    public SharedPrimesTask() {
    }

    @Override
    public Long run(Job job, TaskContext context) {
        SharedBuffer buffer = job.buffer();
        long mine = 0;
        long taken = 0;
        for (long chunk = buffer.getAndAddLong(NEXT_CHUNK, 1); chunk < job.chunks();
                chunk = buffer.getAndAddLong(NEXT_CHUNK, 1)) {
            context.checkCancelled();
            long from = chunk * job.chunkSize();
            long primes = CountPrimesTask.count(new Range(from, from + job.chunkSize()));
            buffer.getAndAddLong(TOTAL, primes);      // atomic: four threads add at once
            buffer.getAndAddLong(CHUNKS_DONE, 1);
            mine += primes;
            taken++;
        }
        // A plain store is enough here: joining the task's handle publishes it to the submitter.
        buffer.setLong(SLOTS + 8L * job.thread(), taken);
        return mine;
    }
}
