package dev.parx.process;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Commands do not outlive a JVM killed with {@code kill -9}, unless they were started detached. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class JvmDeathTest {

    private final List<Long> started = new CopyOnWriteArrayList<>();

    @AfterEach
    void killWhatIsLeft() {
        for (long pid : started) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        Leaks.awaitGone(started);
        Leaks.awaitNoChildren();
    }

    private List<Long> startChildJvmAndKillIt(String mode) throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        // The child starts its commands the way this JVM does (posix_spawn or ProcessBuilder).
        RunningCommand jvm = Command.of(ChildJvm.commandLine(List.of(ChildJvm.NATIVE_ACCESS), OrphanMain.class, mode))
                .stdout(Output.lines(lines::add))
                .spawn();
        started.add(jvm.pid());
        await().atMost(Duration.ofSeconds(60)).until(() -> lines.contains("READY") || !jvm.isAlive());
        assertTrue(lines.contains("READY"), "the child JVM said: " + lines + " / " + jvm.onExit());
        List<Long> pids = new ArrayList<>(Leaks.pids(String.join("\n", lines.subList(0, lines.indexOf("READY")))));
        started.addAll(pids);
        assertEquals(5, pids.size(), "sleep, shell, its two children, and a sleep from an ended thread: " + pids);
        assertTrue(pids.stream().allMatch(Leaks::alive), "all running before the kill");
        ProcessHandle.of(jvm.pid()).orElseThrow().destroyForcibly(); // SIGKILL: no shutdown hook runs
        return pids;
    }

    @Test
    void nothingSurvivesAKillNineOfTheJvm() throws Exception {
        List<Long> pids = startChildJvmAndKillIt("attached");
        await().atMost(Duration.ofSeconds(10)).until(() -> pids.stream().noneMatch(Leaks::alive));
    }

    @Test
    void detachedCommandsSurviveIt() throws Exception {
        List<Long> pids = startChildJvmAndKillIt("detached");
        // The guardian of the dead JVM acts within a few seconds; detached commands must still run after it.
        await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> pids.get(0) != null);
        List<Long> detached = pids.subList(0, 2);
        assertTrue(detached.stream().allMatch(Leaks::alive), "detached commands were killed: " + detached);
    }
}
