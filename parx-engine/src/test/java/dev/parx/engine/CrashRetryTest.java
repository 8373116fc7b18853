package dev.parx.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parx.PoolStats;
import dev.parx.Task;
import dev.parx.TaskContext;
import dev.parx.TaskHandle;
import dev.parx.TaskOptions;
import dev.parx.WorkerCrashedException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tasks that may run again when their worker dies under them. */
@Timeout(60)
public class CrashRetryTest {

    /** Runs per input, across attempts. */
    static final ConcurrentHashMap<String, AtomicInteger> RUNS = new ConcurrentHashMap<>();

    /** Kills its worker on its first {@code n} runs, where the input is {@code "<key>:<n>"}; then returns the key. */
    public static final class CrashFirstRuns implements Task<String, String> {
        @Override
        public String run(String input, TaskContext context) {
            String[] parts = input.split(":");
            int run = RUNS.computeIfAbsent(parts[0], key -> new AtomicInteger()).incrementAndGet();
            if (run <= Integer.parseInt(parts[1])) {
                throw new ElsewherePool.WorkerKill();
            }
            return parts[0];
        }
    }

    private static TaskOptions retries(int times) {
        return TaskOptions.builder().retryOnCrash(times).build();
    }

    @Test
    void aTaskWhoseWorkerDiesRunsAgainWithinItsBound() throws Exception {
        try (ElsewherePool pool = ElsewherePool.builder().name("retry").workers(2).build()) {
            TaskHandle<String> handle = pool.submit(CrashFirstRuns.class, "twice:2", retries(2));
            assertEquals("twice", handle.join());
            assertEquals(3, RUNS.get("twice").get());
            PoolStats stats = pool.stats();
            assertEquals(1, stats.completed());
            assertEquals(0, stats.failed());
            assertEquals(0, stats.queued());
            assertEquals(0, stats.active());
        }
    }

    @Test
    void spentRetriesFailWithTheLastCrash() throws Exception {
        try (ElsewherePool pool = ElsewherePool.builder().name("spent").workers(1).build()) {
            TaskHandle<String> handle = pool.submit(CrashFirstRuns.class, "always:9", retries(1));
            assertThrows(WorkerCrashedException.class, handle::join);
            assertEquals(2, RUNS.get("always").get());
            assertEquals(1, pool.stats().failed());
        }
    }

    @Test
    void withoutRetriesACrashFailsAtOnce() throws Exception {
        try (ElsewherePool pool = ElsewherePool.builder().name("none").workers(1).build()) {
            TaskHandle<String> handle = pool.submit(CrashFirstRuns.class, "once:1", TaskOptions.defaults());
            assertThrows(WorkerCrashedException.class, handle::join);
            assertEquals(1, RUNS.get("once").get());
        }
    }

    @Test
    void manyRetriedTasksAllCompleteAndThePoolTerminates() throws Exception {
        List<TaskHandle<String>> handles = new ArrayList<>();
        try (ElsewherePool pool = ElsewherePool.builder().name("many").workers(2).build()) {
            for (int i = 0; i < 200; i++) {
                handles.add(pool.submit(CrashFirstRuns.class, "many" + i + ":" + (i % 3), retries(2)));
            }
            for (int i = 0; i < handles.size(); i++) {
                assertEquals("many" + i, handles.get(i).join());
            }
            assertEquals(200, pool.stats().completed());
        }
    }

    @Test
    void aPoolClosingMeanwhileRunsNoRetryAndLeavesNoHandleIncomplete() throws Exception {
        List<TaskHandle<String>> handles = new ArrayList<>();
        ElsewherePool pool = ElsewherePool.builder().name("closing").workers(2).build();
        for (int i = 0; i < 200; i++) {
            handles.add(pool.submit(CrashFirstRuns.class, "closing" + i + ":" + (i % 2), retries(1)));
        }
        Thread closer = Thread.ofVirtual().start(pool::close);
        int crashed = 0;
        for (int i = 0; i < handles.size(); i++) {
            try {
                assertEquals("closing" + i, handles.get(i).join());
            } catch (WorkerCrashedException e) {
                crashed++;
            }
        }
        closer.join();
        assertEquals(true, pool.isTerminated());
        PoolStats stats = pool.stats();
        assertEquals(200, stats.completed() + stats.failed());
        assertEquals(crashed, stats.failed());
    }

    @Test
    void retriesAreBoundedAndSetOnce() {
        assertThrows(IllegalArgumentException.class, () -> TaskOptions.builder().retryOnCrash(-1));
        assertThrows(IllegalArgumentException.class,
                () -> TaskOptions.builder().retryOnCrash(TaskOptions.MAX_CRASH_RETRIES + 1));
        assertThrows(IllegalStateException.class, () -> TaskOptions.builder().retryOnCrash(1).retryOnCrash(2));
        assertEquals(TaskOptions.defaults(), TaskOptions.builder().retryOnCrash(0).build());
    }
}
