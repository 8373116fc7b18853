package dev.parx.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parx.Task;
import dev.parx.TaskHandle;
import dev.parx.WorkerCrashedException;
import dev.parx.ipc.tasks.CrashTasks;
import dev.parx.testkit.tasks.EchoTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** 1,000 tasks of which every tenth crashes its worker, in turn by exit, halt, kill -9 and OOM. */
@Tag("stress")
class StressTest {

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    @SuppressWarnings({"unchecked", "rawtypes"})
    void everyOtherTaskSucceedsAndEveryHandleCompletes() throws Exception {
        Class[] crashes = {CrashTasks.Exit.class, CrashTasks.Halt.class, CrashTasks.KillNine.class, CrashTasks.OutOfMemory.class};
        try (JvmPool pool = JvmPool.builder().workers(2).jvmOptions("-Xmx48m").build()) {
            List<TaskHandle<?>> handles = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                if (i % 10 == 9) {
                    Class crash = crashes[(i / 10) % crashes.length];
                    handles.add(pool.submit((Class<? extends Task<Object, Object>>) crash,
                            crash == CrashTasks.Exit.class ? (Object) 5 : "9"));
                } else {
                    handles.add(pool.submit(EchoTask.class, "task-" + i));
                }
            }
            for (int i = 0; i < handles.size(); i++) {
                TaskHandle<?> handle = handles.get(i);
                if (i % 10 == 9) {
                    CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                            () -> handle.toCompletableFuture().join());
                    assertInstanceOf(WorkerCrashedException.class, e.getCause());
                } else {
                    assertEquals("task-" + i, handle.join());
                }
            }
            assertEquals(900, pool.stats().completed());
            assertEquals(100, pool.stats().failed());
            assertTrue(pool.stats().workers() <= 2);
        }
        Children.awaitNoChildJvms();
    }
}
