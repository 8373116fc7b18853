package dev.parx.examples;

import dev.parx.Task;
import dev.parx.TaskContext;

/** Counts the primes in a range by trial division, reporting progress and honouring cancellation. */
public final class CountPrimesTask implements Task<Range, Long> {

    private static final int CHECK_EVERY = 1 << 16;

    /** Creates the task. */
    public CountPrimesTask() {
    }

    @Override
    public Long run(Range range, TaskContext context) {
        long count = 0;
        for (long n = range.from(); n < range.to(); n++) {
            if ((n & (CHECK_EVERY - 1)) == 0) {
                context.checkCancelled();
                context.progress((double) (n - range.from()) / (range.to() - range.from()), "at " + n);
            }
            if (isPrime(n)) {
                count++;
            }
        }
        return count;
    }

    /**
     * Counts the primes in a range on the calling thread.
     *
     * @param range the range
     * @return how many primes it holds
     */
    public static long count(Range range) {
        long count = 0;
        for (long n = range.from(); n < range.to(); n++) {
            if (isPrime(n)) {
                count++;
            }
        }
        return count;
    }

    static boolean isPrime(long n) {
        if (n < 2) {
            return false;
        }
        if (n % 2 == 0) {
            return n == 2;
        }
        for (long d = 3; d * d <= n; d += 2) {
            if (n % d == 0) {
                return false;
            }
        }
        return true;
    }
}
