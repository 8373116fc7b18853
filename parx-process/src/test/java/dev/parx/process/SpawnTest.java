package dev.parx.process;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parx.ParxException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SpawnTest {

    @AfterEach
    void nothingLeftRunning() {
        Leaks.awaitNoChildren();
    }

    @Test
    void linesArriveAsTheyAreProducedAndStdinIsWritable() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        // The command answers each input line; it cannot print "got b" before we send "b".
        RunningCommand running = Command.of("sh", "-c", "echo hello; while read -r l; do echo \"got $l\"; done")
                .stdout(Output.lines(lines::add))
                .spawn();
        await().atMost(Duration.ofSeconds(10)).until(() -> lines.equals(List.of("hello")));
        Writer stdin = running.stdinWriter();
        stdin.write("b\n");
        stdin.flush();
        await().atMost(Duration.ofSeconds(10)).until(() -> lines.equals(List.of("hello", "got b")));
        stdin.close();
        CommandResult result = running.waitFor();
        assertEquals(0, result.exitCode());
        assertEquals("", result.stdout(), "streamed output is not captured");
        assertEquals(running.pid(), result.pid());
        assertFalse(running.isAlive());
    }

    @Test
    void chunksOfStdoutAndLinesOfStderrAreDelivered() throws Exception {
        AtomicLong bytes = new AtomicLong();
        List<String> errors = new CopyOnWriteArrayList<>();
        CommandResult result = Command.shell("head -c 3000000 /dev/zero; echo oops >&2")
                .stdout(Output.chunks(chunk -> bytes.addAndGet(chunk.remaining())))
                .stderr(Output.lines(errors::add))
                .exec();
        assertEquals(3_000_000, bytes.get());
        assertEquals(List.of("oops"), errors);
        assertEquals("", result.stderr());
    }

    @Test
    void rawStdoutIsTheCallersToRead() throws Exception {
        RunningCommand running = Command.of("printf", "raw").stdout(Output.raw()).spawn();
        assertArrayEquals("raw".getBytes(StandardCharsets.US_ASCII), running.stdout().readAllBytes());
        assertEquals(0, running.waitFor().exitCode());
        assertThrows(IllegalStateException.class, running::stderr);
        assertThrows(IllegalArgumentException.class, () -> Command.of("true").stdout(Output.raw()).exec());
    }

    @Test
    void anUnreadRawStreamGivesItsDescriptorBackWhenTheCommandExitsAndKeepsItsBytes() throws Exception {
        dev.parx.process.internal.Guardian.handle(); // its pipe is opened once per JVM
        int before = Leaks.openFds();
        RunningCommand running = Command.of("printf", "kept").stdout(Output.raw()).spawn();
        running.onExit().join();
        await().atMost(Duration.ofSeconds(10)).until(() -> Leaks.openFds() <= before);
        assertArrayEquals("kept".getBytes(StandardCharsets.US_ASCII), running.stdout().readAllBytes());
    }

    @Test
    void rawStreamsCanBeUsedFromVirtualThreads() throws Exception {
        RunningCommand running = Command.of("tr", "a-z", "A-Z").stdout(Output.raw()).spawn();
        try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var written = executor.submit(() -> {
                try (var stdin = running.stdin()) {
                    stdin.write("virtual\n".getBytes(StandardCharsets.US_ASCII));
                }
                return null;
            });
            var read = executor.submit(() -> new String(running.stdout().readAllBytes(), StandardCharsets.US_ASCII));
            written.get(30, TimeUnit.SECONDS);
            assertEquals("VIRTUAL\n", read.get(30, TimeUnit.SECONDS));
        }
        assertEquals(0, running.waitFor().exitCode());
    }

    @Test
    void stdinIsNotWritableWhenItWasSet() throws Exception {
        RunningCommand running = Command.of("cat").stdin("given").spawn();
        assertThrows(IllegalStateException.class, running::stdin);
        assertEquals("given", running.waitFor().stdout());
    }

    @Test
    void completingAnOnExitFutureChangesNeitherWaitForNorOtherCallers() throws Exception {
        RunningCommand running = Command.of("cat").spawn();   // runs until its stdin closes
        CompletableFuture<CommandResult> mine = running.onExit();
        assertTrue(mine.complete(null));
        assertTrue(running.onExit().completeExceptionally(new IllegalStateException("not the command's")));
        CompletableFuture<CommandResult> other = running.onExit();
        assertTrue(running.isAlive(), "completing a copy must not end the command");
        running.stdin().write("data".getBytes(StandardCharsets.UTF_8));
        running.stdin().close();
        CommandResult result = running.waitFor();
        assertEquals("data", result.stdout());
        assertEquals(result.stdout(), other.get(10, TimeUnit.SECONDS).stdout());
        assertNull(mine.getNow(null));
    }

    @Test
    void cancellingAnOnExitFutureKillsTheCommand() throws Exception {
        RunningCommand running = Command.of("cat").spawn();
        assertTrue(running.onExit().cancel(true));
        assertThrows(CancellationException.class, running::waitFor);
        assertFalse(running.isAlive());
    }

    @Test
    void killEndsTheTreeAndOnExitReportsCancellation() throws Exception {
        List<String> pids = new CopyOnWriteArrayList<>();
        RunningCommand running = Command.shell("sleep 300 & echo $!; sleep 300 & echo $!; wait")
                .stdout(Output.lines(pids::add))
                .spawn();
        await().atMost(Duration.ofSeconds(10)).until(() -> pids.size() == 2);
        running.kill();
        running.kill();
        assertThrows(CancellationException.class, running::waitFor);
        Leaks.awaitGone(Leaks.pids(String.join("\n", pids)));
        assertTrue(Leaks.membersOf(List.of(running.pid())).isEmpty());
    }

    @Test
    void aThrowingCallbackKillsTheCommandAndFailsTheRun() {
        ParxException e = assertThrows(ParxException.class, () -> Command.of("yes")
                .stdout(Output.lines(line -> {
                    throw new IllegalStateException("no thanks");
                }))
                .exec());
        assertInstanceOf(IllegalStateException.class, e.getCause());
    }

    @Test
    void aLineLongerThanMaxOutputFailsInsteadOfFillingTheHeap() {
        assertThrows(dev.parx.process.OutputLimitExceededException.class, () -> Command.of("head", "-c", "1G", "/dev/zero")
                .maxOutput(100_000)
                .stdout(Output.lines(line -> { }))
                .exec());
    }

    @Test
    void noDeadlockWhenTheChildWritesStderrWhileWeWriteItsStdin() {
        int size = 50 * 1024 * 1024;
        AtomicLong errBytes = new AtomicLong();
        // The child fills stderr before reading any stdin: unless both pipes are served at once, both sides stall.
        CommandResult result = Command.shell("head -c " + size + " /dev/zero >&2; wc -c")
                .stdin(new byte[size])
                .stderr(Output.chunks(chunk -> errBytes.addAndGet(chunk.remaining())))
                .exec();
        assertEquals(size, errBytes.get());
        assertEquals(Integer.toString(size), result.stdoutTrimmed());
    }

    @Test
    void interruptingExecKillsTheCommand() throws Exception {
        List<String> pids = new CopyOnWriteArrayList<>();
        Thread caller = Thread.ofPlatform().start(() -> assertThrows(CancellationException.class,
                () -> Command.shell("echo $$; exec sleep 300").stdout(Output.lines(pids::add)).exec()));
        await().atMost(Duration.ofSeconds(10)).until(() -> pids.size() == 1);
        caller.interrupt();
        caller.join(10_000);
        assertFalse(caller.isAlive());
        Leaks.awaitGone(Leaks.pids(pids.getFirst()));
    }
}
