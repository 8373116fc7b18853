package dev.parx.ipc;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

/** What the tests check about the child JVMs this JVM started. */
final class Children {

    private Children() {
    }

    /** The child JVMs of this JVM that run {@link ChildMain} now. */
    static List<ProcessHandle> childJvms() {
        return ProcessHandle.current().descendants()
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").contains(ChildMain.class.getName()))
                .toList();
    }

    /** Waits, with a bound, until no child JVM runs. */
    static void awaitNoChildJvms() {
        await("no child JVM left").atMost(Duration.ofSeconds(15)).until(() -> childJvms().isEmpty());
    }

    /** Stops every pool at once and waits, with a bound, for each to terminate. */
    static void stopAll(List<JvmPool> pools) throws InterruptedException {
        pools.forEach(JvmPool::shutdownNow);
        for (JvmPool pool : pools) {
            assertTrue(pool.awaitTermination(Duration.ofSeconds(30)), pool::toString);
        }
    }
}
