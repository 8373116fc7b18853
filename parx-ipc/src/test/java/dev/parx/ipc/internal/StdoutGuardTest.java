package dev.parx.ipc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM that installs the guard and pollutes stdout every way it can: its stdout holds only
 * its frames, and the guard captured all the rest. Each child runs without a locale.
 */
class StdoutGuardTest {

    @TempDir
    Path dir;

    private Process child;

    @AfterEach
    void killChild() throws InterruptedException {
        if (child != null) {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @Timeout(120)
    void atTheDescriptorLevelOnlyFramesReachTheRealStdout() throws Exception {
        assumeTrue(System.getProperty("os.name").equals("Linux"), "the descriptor level is Linux's");
        Outcome outcome = run(List.of("--enable-native-access=ALL-UNNAMED"), "native");

        List<String> frames = outcome.stdout();
        assertEquals(5, frames.size(), "only the frames: " + outcome);
        assertEquals("mode fd native=true idempotent=true", frames.get(0));
        assertEquals(StdoutPolluter.FRAME_TEXT, frames.get(1));
        assertEquals("frames descriptors 1 cloexec=true", frames.get(2), "one private, close-on-exec copy of the real stdout");
        assertEquals("bye", frames.get(4));
        assertEquals(StdoutPolluter.JAVA_LINE + "\n" + StdoutPolluter.NATIVE_LINE + "\n" + StdoutPolluter.INHERITED_LINE
                + "\n" + StdoutPolluter.END + "\n", captured(frames.get(3)));
        assertFalse(outcome.stderr().contains("WARNING"), outcome.stderr());
    }

    @Test
    @Timeout(120)
    void withoutNativeAccessSystemOutIsCapturedAndTheModeSaysWhy() throws Exception {
        Outcome outcome = run(List.of(), "java");

        List<String> frames = outcome.stdout();
        assertEquals(4, frames.size(), "only the frames: " + outcome);
        assertEquals("mode java: native access disabled (start the child with --enable-native-access=ALL-UNNAMED)"
                + " native=false idempotent=true", frames.get(0));
        assertEquals(StdoutPolluter.FRAME_TEXT, frames.get(1));
        assertEquals(StdoutPolluter.JAVA_LINE + "\n" + StdoutPolluter.END + "\n", captured(frames.get(2)));
        assertEquals("bye", frames.get(3));
        assertFalse(outcome.stderr().contains("WARNING"), "no restricted-method warning: " + outcome.stderr());
    }

    private static String captured(String frame) {
        assertTrue(frame.startsWith("captured "), frame);
        return new String(Base64.getDecoder().decode(frame.substring("captured ".length())), StandardCharsets.UTF_8);
    }

    private record Outcome(int exitCode, List<String> stdout, String stderr) {
    }

    private Outcome run(List<String> jvmOptions, String mode) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), StdoutPolluter.class.getName(), mode));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.equals("LANG") || name.startsWith("LC_"));
        Path stderr = dir.resolve("stderr");
        child = builder.redirectError(stderr.toFile()).start();   // stdout a pipe, as a pool gives it
        String stdout = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(90, TimeUnit.SECONDS), "the child JVM ended");
        Outcome outcome = new Outcome(child.exitValue(), stdout.lines().toList(),
                Files.readString(stderr, StandardCharsets.UTF_8));
        assertEquals(0, outcome.exitCode(), outcome.toString());
        return outcome;
    }
}
