package dev.parx.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CommandExecTest {

    @AfterEach
    void nothingLeftRunning() {
        Leaks.awaitNoChildren();
    }

    @Test
    void execReturnsExitCodeOutputAndPid() {
        CommandResult result = Command.of("sh", "-c", "echo out; echo err >&2; exit 0").exec();
        assertEquals(0, result.exitCode());
        assertEquals("out\n", result.stdout());
        assertEquals("err\n", result.stderr());
        assertTrue(result.pid() > 1);
        assertEquals(List.of("sh", "-c", "echo out; echo err >&2; exit 0"), result.command());
    }

    @Test
    void argumentsWithShellMetacharactersReachTheProgramVerbatim(@TempDir Path dir) throws Exception {
        Path marker = dir.resolve("marker");
        List<String> nasty = List.of(
                "; rm -rf " + dir, "$(touch " + marker + ")", "`touch " + marker + "`",
                "'single' \"double\"", "line1\nline2", "&& touch " + marker, "| cat", "*", "$HOME", "");
        List<String> argv = new java.util.ArrayList<>(List.of("printf", "%s\\0"));
        argv.addAll(nasty);
        CommandResult result = Command.of(argv).exec();
        List<String> received = List.of(result.stdout().split("\0", -1)).subList(0, nasty.size());
        assertEquals(nasty, received);
        assertTrue(Files.notExists(marker), "a metacharacter ran something");
    }

    @Test
    void disallowedExitCodeNamesCommandCodeAndStderrTail() {
        ProcessFailedException e = assertThrows(ProcessFailedException.class,
                () -> Command.shell("for i in 1 2 3 4 5 6 7 8 9 10 11 12; do echo line$i >&2; done; exit 3").exec());
        assertEquals(3, e.exitCode());
        assertEquals(List.of("/bin/sh", "-c",
                "for i in 1 2 3 4 5 6 7 8 9 10 11 12; do echo line$i >&2; done; exit 3"), e.command());
        assertEquals("line12", e.stderrTail().getLast());
        assertEquals(10, e.stderrTail().size());
        assertTrue(e.getMessage().contains("code 3"), e.getMessage());
    }

    @Test
    void allowedExitCodesSucceed() {
        assertEquals(1, Command.of("sh", "-c", "exit 1").allowExitCodes(0, 1).exec().exitCode());
        assertEquals(7, Command.of("sh", "-c", "exit 7").allowAnyExitCode().exec().exitCode());
    }

    @Test
    void stdinFromTextBytesFileAndStream(@TempDir Path dir) throws Exception {
        assertEquals("hello", Command.of("cat").stdin("hello").exec().stdout());
        assertEquals("bytes", Command.of("cat").stdin("bytes".getBytes(StandardCharsets.UTF_8)).exec().stdout());
        Path file = Files.writeString(dir.resolve("in.txt"), "from file");
        assertEquals("from file", Command.of("cat").stdin(file).exec().stdout());
        assertEquals("streamed", Command.of("cat")
                .stdin(new java.io.ByteArrayInputStream("streamed".getBytes(StandardCharsets.UTF_8))).exec().stdout());
        assertEquals("", Command.of("cat").exec().stdout(), "exec gives an empty stdin by default");
    }

    @Test
    void environmentAndWorkingDirectory(@TempDir Path dir) throws Exception {
        assertEquals("v1", Command.of("sh", "-c", "printf %s \"$PARX_X\"").env("PARX_X", "v1").exec().stdout());
        assertEquals("", Command.of("sh", "-c", "printf %s \"${HOME:-}\"").removeEnv("HOME").exec().stdout());
        String env = Command.of("env").emptyEnv().env("ONLY", "1").exec().stdout();
        assertEquals("ONLY=1\n", env);
        assertEquals(dir.toRealPath().toString(), Command.of("pwd").directory(dir).exec().stdoutTrimmed());
    }

    @Test
    void mergedStderrIsInterleavedIntoStdout() {
        CommandResult result = Command.shell("echo a; echo b >&2; echo c").mergeStderr().exec();
        assertEquals("a\nb\nc\n", result.stdout());
        assertEquals("", result.stderr());
    }

    @Test
    void charsetDecodesOutput() {
        CommandResult result = Command.of("printf", "\\351t\\351").charset(StandardCharsets.ISO_8859_1).exec();
        assertEquals("été", result.stdout());
    }

    @Test
    void missingProgramIsAClearError() {
        CommandStartException e = assertThrows(CommandStartException.class,
                () -> Command.of("parx-no-such-program-xyz").exec());
        assertTrue(e.getMessage().contains("not found on PATH"), e.getMessage());
        assertEquals(List.of("parx-no-such-program-xyz"), e.command());
    }

    @Test
    void directoryAsProgramIsAClearError(@TempDir Path dir) {
        CommandStartException e = assertThrows(CommandStartException.class, () -> Command.of(dir.toString()).exec());
        assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
    }

    @Test
    void nonExecutableProgramIsAClearError(@TempDir Path dir) throws Exception {
        Path script = Files.writeString(dir.resolve("script.sh"), "echo hi\n");
        CommandStartException e = assertThrows(CommandStartException.class, () -> Command.of(script.toString()).exec());
        assertTrue(e.getMessage().contains("not executable"), e.getMessage());
    }

    @Test
    void missingWorkingDirectoryIsAClearError(@TempDir Path dir) {
        CommandStartException e = assertThrows(CommandStartException.class,
                () -> Command.of("true").directory(dir.resolve("missing")).exec());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void outputPastMaxOutputKillsAndFailsQuickly() {
        OutputLimitExceededException e = assertThrows(OutputLimitExceededException.class,
                () -> Command.of("head", "-c", "10G", "/dev/zero").maxOutput(64 * 1024).exec());
        assertEquals(64 * 1024, e.limitBytes());
    }

    @Test
    void timeoutKillsTheTreeIncludingBackgroundChildren() {
        RunningCommand running = Command.shell("sleep 300 & echo $!; sleep 300 & echo $!; wait")
                .timeout(Duration.ofMillis(500)).killGrace(Duration.ofMillis(200))
                .stdout(Output.captureAndLines(line -> { }))
                .spawn();
        CommandTimeoutException e = assertThrows(CommandTimeoutException.class, running::waitFor);
        assertEquals(Duration.ofMillis(500), e.timeout());
        assertTrue(Leaks.membersOf(List.of(running.pid())).isEmpty(), "members of the group survived");
    }

    @Test
    void killEndsBackgroundGrandchildrenThatWereReparented() throws Exception {
        // The subshell exits at once, so its sleep is re-parented: descendants() cannot see it.
        RunningCommand running = Command.shell("(sleep 300 & echo $!); exec sleep 300")
                .killGrace(Duration.ZERO).spawn();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> Leaks.membersOf(List.of(running.pid())).size() == 2);
        running.kill();
        assertThrows(CancellationException.class, running::waitFor);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> Leaks.membersOf(List.of(running.pid())).isEmpty());
    }

    @Test
    void pipelineConnectsStagesAndReportsTheLastExitCode() {
        CommandResult result = Command.pipe(Command.of("printf", "b\\na\\nc\\n"), Command.of("sort"),
                Command.of("head", "-n", "2")).exec();
        assertEquals("a\nb\n", result.stdout());
        assertEquals(List.of("printf", "b\\na\\nc\\n", "|", "sort", "|", "head", "-n", "2"), result.command());
        assertEquals("y\n", Command.pipe(Command.of("yes"), Command.of("head", "-n", "1")).exec().stdout());
    }

    @Test
    void pipelineStageFailureNamesThatStage() {
        ProcessFailedException e = assertThrows(ProcessFailedException.class,
                () -> Command.pipe(Command.shell("echo broken >&2; exit 4"), Command.of("cat")).exec());
        assertEquals(4, e.exitCode());
        assertEquals(List.of("broken"), e.stderrTail());
    }

    @Test
    void pipelineTimeoutKillsEveryStage() {
        java.util.List<String> firstPid = new java.util.concurrent.CopyOnWriteArrayList<>();
        RunningCommand running = Command.pipe(
                        Command.shell("echo $$ >&2; sleep 300 & wait").stderr(Output.lines(firstPid::add)),
                        Command.shell("sleep 301 & cat").timeout(Duration.ofMillis(300)).killGrace(Duration.ZERO))
                .spawn();
        assertThrows(CommandTimeoutException.class, running::waitFor);
        assertEquals(1, firstPid.size());
        assertTrue(Leaks.membersOf(List.of(running.pid(), Long.parseLong(firstPid.getFirst()))).isEmpty());
    }

    @Test
    void pipelineSpawnStreamsTheLastStagesOutput() throws Exception {
        java.util.List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        RunningCommand running = Command.pipe(Command.of("cat"), Command.of("tr", "a-z", "A-Z")
                .stdout(Output.lines(lines::add))).spawn();
        running.stdinWriter().write("hello\nworld\n");
        running.stdinWriter().close();
        assertEquals(0, running.waitFor().exitCode());
        assertEquals(List.of("HELLO", "WORLD"), lines);
    }

    @Test
    void execAsyncCompletesAndItsCancelKills() {
        assertEquals("x\n", Command.of("echo", "x").execAsync().join().stdout());
        var future = Command.of("sleep", "300").killGrace(Duration.ZERO).execAsync();
        future.cancel(true);
        assertTrue(future.isCancelled());
    }

    @Test
    void execAsyncReportsAStartFailureInTheFuture() {
        var future = Command.of("parx-no-such-program-xyz").execAsync();
        CompletionException e = assertThrows(CompletionException.class, future::join);
        assertInstanceOf(CommandStartException.class, e.getCause());
    }
}
