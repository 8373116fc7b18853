package dev.parx.threads;

import dev.parx.PoolBuilder;
import dev.parx.testkit.PoolContract;

class VirtualThreadPoolContractTest extends PoolContract {

    @Override
    protected PoolBuilder<?, ?> builder() {
        return ThreadPool.builder().virtualThreads();
    }
}
