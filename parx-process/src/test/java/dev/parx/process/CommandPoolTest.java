package dev.parx.process;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parx.Pool;
import dev.parx.Task;
import dev.parx.TaskContext;
import dev.parx.TaskHandle;
import dev.parx.TaskOptions;
import dev.parx.TaskTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@SuppressWarnings("exports") // test code, compiled into the module only to be run on the class path
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public class CommandPoolTest {

    private final List<String> pids = new CopyOnWriteArrayList<>();

    @AfterEach
    void nothingLeftRunning() {
        Leaks.awaitGone(pids.stream().map(Long::parseLong).toList());
        Leaks.awaitNoChildren();
    }

    /** A shell that puts two sleeps in the background, prints their pids, and waits. */
    public static final class Tree extends CommandTask<String, String> {
        @Override
        protected Command command(String input, TaskContext context) {
            return Command.shell("sleep 300 & echo $!; sleep 300 & echo $!; wait")
                    .killGrace(Duration.ofMillis(500))
                    .stdout(Output.lines(context::emit));
        }

        @Override
        protected String result(String input, CommandResult result) {
            return "done";
        }
    }

    /** Not a command. */
    public static final class JavaTask implements Task<String, String> {
        @Override
        public String run(String input, TaskContext context) {
            return input;
        }
    }

    private TaskHandle<String> startTree(Pool pool, TaskOptions options) {
        TaskHandle<String> handle = pool.submit(Tree.class, "x", options);
        handle.onMessage(pid -> pids.add((String) pid));
        await().atMost(Duration.ofSeconds(10)).until(() -> pids.size() == 2);
        return handle;
    }

    @Test
    void cancellingATaskKillsItsProcessTree() throws Exception {
        try (Pool pool = CommandPool.builder().workers(1).build()) {
            TaskHandle<String> handle = startTree(pool, TaskOptions.defaults());
            assertTrue(handle.cancel(true));
            assertThrows(CancellationException.class, handle::join);
            Leaks.awaitGone(pids.stream().map(Long::parseLong).toList());
        }
    }

    @Test
    void aTaskTimeoutKillsItsProcessTree() {
        try (Pool pool = CommandPool.builder().workers(1).build()) {
            TaskHandle<String> handle = startTree(pool, TaskOptions.timeout(Duration.ofMillis(300)));
            assertThrows(TaskTimeoutException.class, handle::join);
            Leaks.awaitGone(pids.stream().map(Long::parseLong).toList());
        }
    }

    @Test
    void closeWaitsUntilTheProcessesOfCancelledTasksAreGone() throws Exception {
        Pool pool = CommandPool.builder().workers(1).build();
        startTree(pool, TaskOptions.defaults());
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(Duration.ofSeconds(30)));
        // Termination means the worker returned, and a CommandTask returns after its kill is over.
        assertTrue(pids.stream().map(Long::parseLong).noneMatch(Leaks::alive));
    }

    @Test
    void onlyCommandTasksAreAccepted() {
        try (Pool pool = CommandPool.builder().workers(1).build()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> pool.submit(JavaTask.class, "x"));
            assertTrue(e.getMessage().contains("CommandTask"), e.getMessage());
            assertEquals(0, pool.stats().submitted());
        }
    }
}
