package com.example.consumer;

import dev.parx.Task;
import dev.parx.TaskContext;

/** The sum of the squares of a range of numbers: plain Java, for threads, child JVMs and a cluster. */
public final class SumOfSquares implements Task<Range, Long> {

    /** For the pools, which instantiate the task by its class. */
    public SumOfSquares() {
    }

    @Override
    public Long run(Range range, TaskContext context) {
        long sum = 0;
        for (long n = range.from(); n < range.to(); n++) {
            sum += n * n;
        }
        context.checkCancelled();
        return sum;
    }
}
