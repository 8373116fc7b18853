package dev.parx.threads;

import dev.parx.Pool;
import dev.parx.testkit.PoolContract;
import dev.parx.testkit.PoolSpec;

class VirtualThreadPoolContractTest extends PoolContract {

    @Override
    protected Pool createPool(PoolSpec spec) {
        return ThreadPoolContractTest.builderFor(spec).virtualThreads().build();
    }
}
