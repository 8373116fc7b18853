package dev.parx.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileInputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a started command finds: its descriptors, signals, environment and exit code, whichever
 * way this JVM starts commands (posix_spawn, or ProcessBuilder with setsid).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChildSetupTest {

    @AfterEach
    void nothingLeftRunning() {
        Leaks.awaitNoChildren();
    }

    @Test
    void aCommandInheritsNoDescriptorButItsThreeStandardOnes(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("open"), "x");
        // The JDK opens files without O_CLOEXEC: a child would inherit these unless they are closed for it.
        try (FileInputStream in = new FileInputStream(file.toFile());
             RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            assertEquals('x', in.read());
            assertEquals('x', raf.read());
            String fds = Command.shell("ls /proc/$$/fd").exec().stdout();
            assertEquals(List.of("0", "1", "2"), fds.lines().toList());
        }
    }

    @Test
    void aCommandStartsWithNoBlockedSignal() {
        // The JVM's threads block SIGQUIT; a command must not inherit that mask.
        String status = Command.of("grep", "^SigBlk:", "/proc/self/status").exec().stdoutTrimmed();
        assertEquals("SigBlk:\t0000000000000000", status);
    }

    @Test
    void aCommandLeadsItsOwnSessionAndProcessGroup() {
        String[] ids = Command.shell("ps -o pid=,pgid=,sid= -p $$").exec().stdout().strip().split("\\s+");
        assertEquals(ids[0], ids[1], "process group");
        assertEquals(ids[0], ids[2], "session");
    }

    @Test
    void aCommandKilledByASignalReportsTheShellsExitCode() {
        assertEquals(143, Command.shell("kill -TERM $$").allowAnyExitCode().exec().exitCode());
        assertEquals(137, Command.shell("kill -KILL $$").allowAnyExitCode().exec().exitCode());
        assertEquals(3, Command.shell("exit 3").allowAnyExitCode().exec().exitCode());
    }

    @Test
    void anExecutableWithoutAShebangLineRunsWithTheShell(@TempDir Path dir) throws Exception {
        Path script = Files.writeString(dir.resolve("script"), "echo from-script \"$1\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        assertEquals("from-script arg", Command.of(script.toString(), "arg").exec().stdoutTrimmed());
    }

    @Test
    void aRelativeProgramPathIsResolvedInTheWorkingDirectory(@TempDir Path dir) throws Exception {
        Path script = Files.writeString(dir.resolve("hello.sh"), "#!/bin/sh\necho hello from \"$(pwd)\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        assertEquals("hello from " + dir.toRealPath(),
                Command.of("./hello.sh").directory(dir).exec().stdoutTrimmed());
    }

    @Test
    void anUntouchedEnvironmentIsThisJvmsEnvironment() {
        String env = Command.of("env", "-0").exec().stdout();
        Map<String, String> seen = Arrays.stream(env.split("\0"))
                .filter(entry -> !entry.isEmpty())
                .collect(Collectors.toMap(e -> e.substring(0, e.indexOf('=')), e -> e.substring(e.indexOf('=') + 1)));
        assertEquals(System.getenv(), seen);
    }

    @Test
    void aChangedEnvironmentIsThisJvmsWithTheChanges() {
        String env = Command.of("env", "-0").env("PARX_ADDED", "a b").removeEnv("HOME").exec().stdout();
        Map<String, String> seen = Arrays.stream(env.split("\0"))
                .filter(entry -> !entry.isEmpty())
                .collect(Collectors.toMap(e -> e.substring(0, e.indexOf('=')), e -> e.substring(e.indexOf('=') + 1)));
        Map<String, String> expected = new java.util.HashMap<>(System.getenv());
        expected.put("PARX_ADDED", "a b");
        expected.remove("HOME");
        assertEquals(expected, seen);
    }

    @Test
    void anInvalidEnvironmentVariableIsRejectedAsProcessBuilderRejectsIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Command.of("true").env("A=B", "x").exec());
        assertTrue(e.getMessage().contains("A=B"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Command.of("true").env("A", "x\0y").exec());
    }

    @Test
    void aNulCharacterInAnArgumentIsAStartError() {
        CommandStartException e = assertThrows(CommandStartException.class,
                () -> Command.of("echo", "a\0b").exec());
        assertTrue(e.getMessage().contains("invalid null character"), e.getMessage());
    }

    @Test
    void aMissingStdinFileIsAStartErrorThatNamesIt(@TempDir Path dir) {
        Path missing = dir.resolve("missing-input");
        CommandStartException e = assertThrows(CommandStartException.class,
                () -> Command.of("cat").stdin(missing).exec());
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void aPipelineWhoseLaterStageCannotStartLeavesNothingRunning() {
        assertThrows(IllegalArgumentException.class,
                () -> Command.pipe(Command.of("sleep", "300"), Command.of("cat").env("A=B", "x")).exec());
        assertEquals(java.util.Set.of(), Leaks.children());
    }

    @Test
    void discardedStreamsGoNowhereAndMergedStderrFollowsStdout() {
        CommandResult noErr = Command.shell("echo out; echo err >&2").stderr(Output.discard()).exec();
        assertEquals("out\n", noErr.stdout());
        assertEquals("", noErr.stderr());
        CommandResult nothing = Command.shell("echo out; echo err >&2").stdout(Output.discard()).mergeStderr().exec();
        assertEquals("", nothing.stdout());
        assertEquals("", nothing.stderr());
        assertEquals("in", Command.of("cat").stdin("in").stderr(Output.discard()).exec().stdout());
    }
}
