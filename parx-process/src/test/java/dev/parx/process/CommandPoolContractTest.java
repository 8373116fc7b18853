package dev.parx.process;

import dev.parx.PoolBuilder;
import dev.parx.testkit.ContractTasks;
import dev.parx.testkit.PoolContract;

class CommandPoolContractTest extends PoolContract {

    @Override
    protected PoolBuilder<?, ?> builder() {
        return CommandPool.builder();
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
