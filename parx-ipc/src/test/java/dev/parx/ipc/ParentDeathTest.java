package dev.parx.ipc;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parx.process.Command;
import dev.parx.process.Output;
import dev.parx.process.RunningCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** No child JVM outlives a parent killed with {@code kill -9}. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ParentDeathTest {

    private final List<Long> started = new CopyOnWriteArrayList<>();

    @AfterEach
    void killWhatIsLeft() {
        started.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        await().atMost(Duration.ofSeconds(10)).until(() -> started.stream().noneMatch(ParentDeathTest::alive));
    }

    /** Running, not a zombie that waits for its new parent to reap it. */
    private static boolean alive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void everyChildJvmIsGoneWithinTwoSecondsOfAKillNineOfItsParent() {
        List<String> lines = new CopyOnWriteArrayList<>();
        RunningCommand parent = Command.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                        ParentMain.class.getName())
                .stdout(Output.lines(lines::add))
                .stderr(Output.lines(line -> { }))
                .allowAnyExitCode()
                .spawn();
        started.add(parent.pid());
        await().atMost(Duration.ofSeconds(60)).until(() -> lines.contains("READY") || !parent.isAlive());
        assertTrue(lines.contains("READY"), "the parent said: " + lines);
        List<Long> children = lines.stream().filter(l -> l.startsWith("CHILD ")).map(l -> Long.parseLong(l.substring(6))).toList();
        started.addAll(children);
        assertEquals(2, children.size(), lines.toString());
        ProcessHandle.of(parent.pid()).orElseThrow().destroyForcibly();
        await().atMost(Duration.ofSeconds(10)).until(() -> !alive(parent.pid()));
        await("the children to end").atMost(Duration.ofSeconds(2)).until(() -> children.stream().noneMatch(ParentDeathTest::alive));
    }
}
