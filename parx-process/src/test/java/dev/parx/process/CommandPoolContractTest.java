package dev.parx.process;

import dev.parx.Pool;
import dev.parx.testkit.ContractTasks;
import dev.parx.testkit.PoolContract;
import dev.parx.testkit.PoolSpec;

class CommandPoolContractTest extends PoolContract {

    @Override
    protected Pool createPool(PoolSpec spec) {
        CommandPool.Builder builder = CommandPool.builder()
                .name(spec.name())
                .workers(spec.workers())
                .maxQueue(spec.maxQueue())
                .onFullQueue(spec.fullQueuePolicy());
        if (spec.taskTimeout() != null) {
            builder.taskTimeout(spec.taskTimeout());
        }
        return builder.build();
    }

    @Override
    protected ContractTasks tasks() {
        return new CommandContractTasks();
    }

    @Override
    protected void assertNothingLeftBehind(String poolName) {
        Leaks.awaitNoChildren();
    }
}
