package dev.parx.process;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands do not outlive a JVM killed with {@code kill -9}, unless they were started detached; also
 * where no shell tool is on {@code PATH}, as in a minimal container image.
 */
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
        return startChildJvmAndKillIt(mode, Map.of());
    }

    private List<Long> startChildJvmAndKillIt(String mode, Map<String, String> env) throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        // The child starts its commands the way this JVM does (posix_spawn or ProcessBuilder).
        RunningCommand jvm = Command.of(ChildJvm.commandLine(List.of(ChildJvm.NATIVE_ACCESS), OrphanMain.class, mode))
                .env(env)
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
    void nothingSurvivesAKillNineOfAJvmWithAnEmptyPath() throws Exception {
        // No awk, ps, kill or setsid to be found: the guardian and the tree kill must not need them.
        List<Long> pids = startChildJvmAndKillIt("attached", Map.of("PATH", ""));
        await().atMost(Duration.ofSeconds(10)).until(() -> pids.stream().noneMatch(Leaks::alive));
    }

    @Test
    void nothingSurvivesAKillNineOfAJvmWhosePathHasNoShellTools(@TempDir Path bin) throws Exception {
        // A minimal image: a few harmless programs, none of awk, ps, kill or setsid.
        for (String tool : List.of("true", "echo")) {
            Files.copy(Path.of("/bin", tool), bin.resolve(tool), StandardCopyOption.COPY_ATTRIBUTES);
        }
        List<Long> pids = startChildJvmAndKillIt("attached", Map.of("PATH", bin.toString()));
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
