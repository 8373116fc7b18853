package dev.parx.process.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parx.process.Command;
import dev.parx.process.Output;
import dev.parx.process.RunningCommand;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The guardian process on its own: run from a copy of its classes, with or without native access,
 * it ends what it was told about once its stdin ends, and nothing else.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GuardianMainTest {

    private final List<ProcessHandle> started = new CopyOnWriteArrayList<>();

    @AfterEach
    void killWhatIsLeft() {
        started.forEach(ProcessHandle::destroyForcibly);
        await().atMost(Duration.ofSeconds(20)).until(() -> started.stream().noneMatch(p -> ProcStat.running(p.pid())));
    }

    @Test
    void theRuntimesOwnLauncherIsUsedAndARuntimeWithoutOneHasNone() {
        Path java = GuardianLaunch.javaLauncher(System.getProperty("java.home")).orElseThrow();
        assertEquals(Path.of(System.getProperty("java.home"), "bin", "java"), java);
        assertTrue(GuardianLaunch.javaLauncher("/nonexistent").isEmpty());
        assertTrue(GuardianLaunch.javaLauncher(null).isEmpty());
    }

    @ParameterizedTest(name = "native access {0}")
    @ValueSource(booleans = {true, false})
    void itEndsRegisteredGroupsAndProcessesAtEndOfInputAndDeletesItsCopiedClasses(boolean nativeAccess)
            throws Exception {
        // A group with a background member, as a shell leaves it; detached, so this JVM's guardian leaves it alone.
        List<String> lines = new CopyOnWriteArrayList<>();
        RunningCommand group = Command.shell("/bin/sleep 120 & echo $!; wait").detached()
                .stdout(Output.lines(lines::add)).spawn();
        started.add(ProcessHandle.of(group.pid()).orElseThrow());
        await().atMost(Duration.ofSeconds(20)).until(() -> !lines.isEmpty());
        ProcessHandle background = ProcessHandle.of(Long.parseLong(lines.getFirst().strip())).orElseThrow();
        started.add(background);
        Process lone = new ProcessBuilder("/bin/sleep", "121").start();
        started.add(lone.toHandle());
        Process bystander = new ProcessBuilder("/bin/sleep", "122").start();
        started.add(bystander.toHandle());

        Path copy = GuardianLaunch.copyClasses();
        List<String> command = new ArrayList<>(GuardianLaunch.commandLine(
                GuardianLaunch.javaLauncher(System.getProperty("java.home")).orElseThrow(), copy, true));
        if (!nativeAccess) {
            command.remove("--enable-native-access=ALL-UNNAMED");
        }
        Process guardian = new ProcessBuilder(command).redirectErrorStream(true).start();
        started.add(guardian.toHandle());
        try (OutputStream stdin = guardian.getOutputStream()) {
            stdin.write(("+ " + group.pid() + "\np " + lone.pid() + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        assertTrue(guardian.waitFor(30, TimeUnit.SECONDS), "the guardian exits at end of input");
        String output = new String(guardian.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, guardian.exitValue(), output);
        assertEquals("", output, "the guardian prints nothing");
        await().atMost(Duration.ofSeconds(10)).until(() -> !ProcStat.running(group.pid())
                && !ProcStat.running(background.pid()) && !ProcStat.running(lone.pid()));
        assertTrue(bystander.isAlive(), "an unregistered process is left alone");
        assertFalse(Files.exists(copy), "the copied classes are deleted once loaded");
    }

    @Test
    void aGroupReportedGoneIsNotSignalled() throws Exception {
        Process kept = new ProcessBuilder("/bin/sleep", "123").start();
        started.add(kept.toHandle());
        Process guardian = new ProcessBuilder(GuardianLaunch.commandLine(
                GuardianLaunch.javaLauncher(System.getProperty("java.home")).orElseThrow(),
                GuardianLaunch.codeLocation().orElseThrow(), false)).start();
        started.add(guardian.toHandle());
        try (OutputStream stdin = guardian.getOutputStream()) {
            stdin.write(("p " + kept.pid() + "\n- " + kept.pid() + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        assertTrue(guardian.waitFor(30, TimeUnit.SECONDS), "the guardian exits at end of input");
        assertTrue(kept.isAlive(), "a process the guardian was told to forget is left alone");
    }
}
