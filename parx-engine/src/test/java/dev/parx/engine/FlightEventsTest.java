package dev.parx.engine;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parx.Task;
import dev.parx.TaskContext;
import dev.parx.TaskFailedException;
import dev.parx.TaskHandle;
import dev.parx.WorkerCrashedException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every step of a task's and a worker's life is a flight recorder event with the pool, task and worker. */
@Timeout(60)
public class FlightEventsTest {

    static final CountDownLatch RELEASE = new CountDownLatch(1);

    /** Returns its input. */
    public static final class Echo implements Task<String, String> {
        @Override
        public String run(String input, TaskContext context) {
            return input;
        }
    }

    /** Throws. */
    public static final class Fail implements Task<String, String> {
        @Override
        public String run(String input, TaskContext context) {
            throw new IllegalStateException("no " + input);
        }
    }

    /** Waits until released or interrupted. */
    public static final class Hold implements Task<String, String> {
        @Override
        public String run(String input, TaskContext context) throws InterruptedException {
            context.emit("started");
            RELEASE.await();
            return input;
        }
    }

    private static final List<String> NAMES = List.of("TaskQueued", "TaskStarted", "TaskFinished", "TaskFailed",
            "TaskCancelled", "WorkerStarted", "WorkerRecycled", "WorkerCrashed");

    @Test
    void theEngineRecordsTasksAndWorkers() throws Exception {
        ConcurrentLinkedQueue<RecordedEvent> events = new ConcurrentLinkedQueue<>();
        try (RecordingStream stream = new RecordingStream()) {
            for (String name : NAMES) {
                stream.enable("dev.parx." + name);
                stream.onEvent("dev.parx." + name, events::add);
            }
            stream.setMaxAge(Duration.ofMinutes(1));
            stream.startAsync();

            String echoId;
            String failId;
            String cancelId;
            String crashId;
            try (ElsewherePool pool = ElsewherePool.builder().name("jfr").minWorkers(0).maxWorkers(1)
                    .idleTimeout(Duration.ofMillis(200)).build()) {
                TaskHandle<String> echo = pool.submit(Echo.class, "hi");
                assertEquals("hi", echo.join());
                echoId = echo.id();
                TaskHandle<String> fail = pool.submit(Fail.class, "way");
                assertThrows(TaskFailedException.class, fail::join);
                failId = fail.id();
                TaskHandle<String> hold = pool.submit(Hold.class, "x");
                CountDownLatch started = new CountDownLatch(1);
                hold.onMessage(message -> started.countDown());
                assertTrue(started.await(30, TimeUnit.SECONDS));
                hold.cancel(true);
                assertThrows(CancellationException.class, hold::join);
                cancelId = hold.id();
                TaskHandle<String> crash = pool.submit(ElsewherePool.CrashWorkerTask.class, "boom");
                assertThrows(WorkerCrashedException.class, crash::join);
                crashId = crash.id();
                assertEquals("again", pool.submit(Echo.class, "again").join());
                await().atMost(Duration.ofSeconds(30)).until(() -> find(events, "WorkerRecycled", "reason",
                        reason -> reason.startsWith("idle")).isPresent());
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> find(events, "TaskQueued", "taskId", echoId::equals)
                    .isPresent() && find(events, "WorkerCrashed", "pool", "jfr"::equals).isPresent());

            RecordedEvent queued = find(events, "TaskQueued", "taskId", echoId::equals).orElseThrow();
            assertEquals("jfr", queued.getString("pool"));
            assertEquals(Echo.class.getName(), queued.getString("taskClass"));
            RecordedEvent taskStarted = find(events, "TaskStarted", "taskId", echoId::equals).orElseThrow();
            assertTrue(taskStarted.getString("worker").startsWith("parx-jfr-"));
            RecordedEvent finished = find(events, "TaskFinished", "taskId", echoId::equals).orElseThrow();
            assertEquals(taskStarted.getString("worker"), finished.getString("worker"));
            assertTrue(finished.getDuration("runTime").toNanos() >= 0);
            RecordedEvent failed = find(events, "TaskFailed", "taskId", failId::equals).orElseThrow();
            assertEquals(TaskFailedException.class.getName(), failed.getString("failure"));
            assertNotNull(failed.getString("message"));
            assertTrue(find(events, "TaskCancelled", "taskId", cancelId::equals).isPresent());
            RecordedEvent crashed = find(events, "TaskFailed", "taskId", crashId::equals).orElseThrow();
            assertEquals(WorkerCrashedException.class.getName(), crashed.getString("failure"));
            RecordedEvent workerCrashed = find(events, "WorkerCrashed", "pool", "jfr"::equals).orElseThrow();
            assertEquals(crashed.getString("worker"), workerCrashed.getString("worker"));
            // A cancel stops the task in place; the worker that crashed was replaced by another.
            long workersStarted = events.stream().filter(e -> e.getEventType().getName().equals("dev.parx.WorkerStarted")
                    && "jfr".equals(e.getString("pool"))).count();
            assertTrue(workersStarted >= 2, "workers started: " + workersStarted);
            assertNull(find(events, "TaskStarted", "taskId", "none"::equals).orElse(null));
        } finally {
            RELEASE.countDown();
        }
    }

    private static Optional<RecordedEvent> find(ConcurrentLinkedQueue<RecordedEvent> events, String name,
            String field, java.util.function.Predicate<String> value) {
        return events.stream()
                .filter(e -> e.getEventType().getName().equals("dev.parx." + name))
                .filter(e -> value.test(e.getString(field)))
                .findFirst();
    }
}
