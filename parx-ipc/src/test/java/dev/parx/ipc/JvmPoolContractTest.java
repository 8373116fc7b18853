package dev.parx.ipc;

import dev.parx.PoolBuilder;
import dev.parx.Task;
import dev.parx.ipc.tasks.CrashTasks;
import dev.parx.testkit.ContractTasks;
import dev.parx.testkit.PoolContract;
import java.util.Optional;

/** The whole pool contract on child JVMs. */
class JvmPoolContractTest extends PoolContract {

    @Override
    protected PoolBuilder<?, ?> builder() {
        return JvmPool.builder();
    }

    @Override
    protected ContractTasks tasks() {
        return new ContractTasks() {
            @Override
            public Optional<Class<? extends Task<String, String>>> crashWorker() {
                return Optional.of(CrashTasks.Halt.class);
            }
        };
    }

    @Override
    protected void assertNothingLeftBehind(String poolName) {
        Children.awaitNoChildJvms();
    }
}
