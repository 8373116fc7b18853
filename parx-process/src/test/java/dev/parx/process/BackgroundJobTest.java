package dev.parx.process;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parx.Pool;
import dev.parx.TaskContext;
import java.io.Writer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A command that exits while a process it put in the background still holds its stdout and
 * stderr: the run completes with what the command wrote, and the background job keeps running
 * (each test ends it). Without the pipe grace, such a run waits for the job, here until its
 * timeout.
 */
@SuppressWarnings("exports") // test code, compiled into the module only to be run on the class path
@Timeout(value = 90, unit = TimeUnit.SECONDS)
public class BackgroundJobTest {

    /** Prints the pid of a background sleep, then "done", and exits at once. */
    private static final String BACKGROUND_JOB = "sleep 30 & echo $!; echo done";
    /** Shorter than the sleep: a run that waits for the job fails with a timeout. */
    private static final Duration TIMEOUT = Duration.ofSeconds(8);

    private final List<Long> sleepers = new CopyOnWriteArrayList<>();

    @AfterEach
    void endTheBackgroundJobs() {
        sleepers.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        Leaks.awaitGone(sleepers);
        Leaks.awaitNoChildren();
    }

    /** A command pool task that runs the background job and returns its stdout. */
    public static final class BackgroundJob extends CommandTask<String, String> {
        @Override
        protected Command command(String input, TaskContext context) {
            return Command.of("sh", "-c", BACKGROUND_JOB).timeout(TIMEOUT);
        }

        @Override
        protected String result(String input, CommandResult result) {
            return result.stdout();
        }
    }

    @Test
    void execCompletesWhenTheCommandExitsThoughItsBackgroundJobHoldsThePipes() {
        for (int i = 0; i < 3; i++) {
            CommandResult result = Command.of("sh", "-c", BACKGROUND_JOB).timeout(TIMEOUT).exec();
            assertEquals(0, result.exitCode());
            assertEquals("done", backgroundJob(result.stdoutLines()));
        }
    }

    @Test
    void aSpawnedCommandCompletesWhenItExitsThoughItsBackgroundJobHoldsThePipes() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        // The shell exits only when told, so the pumps are waiting in a read when it does.
        RunningCommand running = Command.of("sh", "-c", "sleep 30 & echo $!; read -r go; echo \"$go\"; echo err >&2")
                .stdout(Output.captureAndLines(lines::add))
                .timeout(TIMEOUT)
                .spawn();
        await().atMost(Duration.ofSeconds(10)).until(() -> !lines.isEmpty());
        sleepers.add(Long.parseLong(lines.getFirst()));
        Writer stdin = running.stdinWriter();
        stdin.write("done\n");
        stdin.close();
        CommandResult result = running.waitFor();
        assertEquals(List.of(lines.getFirst(), "done"), result.stdoutLines());
        assertEquals("err\n", result.stderr());
        assertTrue(Leaks.alive(sleepers.getFirst()), "the background job keeps running");
    }

    @Test
    void aPipelineCompletesWhenItsLastStageExitsThoughItsBackgroundJobHoldsThePipes() {
        CommandResult result = Command.pipe(Command.of("printf", "x\\n"),
                Command.of("sh", "-c", "cat; " + BACKGROUND_JOB).timeout(TIMEOUT)).exec();
        List<String> lines = result.stdoutLines();
        assertEquals("x", lines.getFirst());
        assertEquals("done", backgroundJob(lines.subList(1, lines.size())));
    }

    @Test
    void aCommandPoolTaskCompletesWhenItsCommandExitsThoughItsBackgroundJobHoldsThePipes() {
        try (Pool pool = CommandPool.builder().workers(1).build()) {
            for (int i = 0; i < 3; i++) {
                String stdout = pool.submit(BackgroundJob.class, "x").join();
                assertEquals("done", backgroundJob(stdout.lines().toList()));
            }
        }
    }

    /** Notes the background job's pid (the first line) to end it, checks that it still runs, returns the rest. */
    private String backgroundJob(List<String> lines) {
        long pid = Long.parseLong(lines.getFirst());
        sleepers.add(pid);
        assertTrue(Leaks.alive(pid), "the background job keeps running");
        return String.join("\n", lines.subList(1, lines.size()));
    }
}
