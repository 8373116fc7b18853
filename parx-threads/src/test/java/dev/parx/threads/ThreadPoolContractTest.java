package dev.parx.threads;

import dev.parx.Pool;
import dev.parx.testkit.PoolContract;
import dev.parx.testkit.PoolSpec;

class ThreadPoolContractTest extends PoolContract {

    static ThreadPool.Builder builderFor(PoolSpec spec) {
        ThreadPool.Builder builder = ThreadPool.builder()
                .name(spec.name())
                .workers(spec.workers())
                .maxQueue(spec.maxQueue())
                .onFullQueue(spec.fullQueuePolicy());
        if (spec.taskTimeout() != null) {
            builder.taskTimeout(spec.taskTimeout());
        }
        return builder;
    }

    @Override
    protected Pool createPool(PoolSpec spec) {
        return builderFor(spec).build();
    }
}
