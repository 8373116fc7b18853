package dev.parx.engine;

import dev.parx.PoolBuilder;
import dev.parx.Task;
import dev.parx.testkit.ContractTasks;
import dev.parx.testkit.PoolContract;
import java.util.Optional;

/** The whole contract on workers that run tasks off their engine thread and can die. */
class ElsewherePoolContractTest extends PoolContract {

    @Override
    protected PoolBuilder<?, ?> builder() {
        return ElsewherePool.builder();
    }

    @Override
    protected ContractTasks tasks() {
        return new ContractTasks() {
            @Override
            public Optional<Class<? extends Task<String, String>>> crashWorker() {
                return Optional.of(ElsewherePool.CrashWorkerTask.class);
            }
        };
    }
}
