package dev.parx.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.parx.TaskFailedException;
import dev.parx.TaskHandle;
import dev.parx.WorkerCrashedException;
import dev.parx.testkit.tasks.EchoTask;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The parent's side of the wire under bad frames from a child: each is a protocol violation that
 * fails only the task in flight with a {@link WorkerCrashedException} that quotes the frame, the
 * child is replaced, and nothing hangs.
 */
class ParentFrameFuzzTest {

    @TempDir
    Path dir;

    /** A java executable that runs {@link FakeChildMain} where the pool asks for {@link ChildMain}. */
    private Path fakeJava() throws Exception {
        Path script = dir.resolve("fake-java");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Files.writeString(script, """
                #!/bin/sh
                for a do
                  shift
                  if [ "$a" = %s ]; then a=%s; fi
                  set -- "$@" "$a"
                done
                exec '%s' "$@"
                """.formatted(ChildMain.class.getName(), FakeChildMain.class.getName(), java));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private static String line(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * Sends each input through a child that writes it as a frame, then answers "survived".
     *
     * @param mutated whether inputs may be valid frames by chance (a mutated result is still a
     *     result, with another value), so that any output is a fair outcome
     */
    private void fuzz(List<String> inputs, boolean mutated) throws Exception {
        try (JvmPool pool = JvmPool.builder().workers(1).javaExecutable(fakeJava()).maxFrameBytes(64 * 1024).build()) {
            for (String input : inputs) {
                TaskHandle<String> handle = pool.submit(EchoTask.class, input);
                try {
                    String output = handle.get(60, TimeUnit.SECONDS);
                    if (!mutated) {
                        assertEquals("survived", output);
                    }
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof WorkerCrashedException crash) {
                        assertTrue(crash.getMessage().contains("protocol violation")
                                || crash.getMessage().contains("exited"), crash.getMessage());
                    } else if (!(e.getCause() instanceof TaskFailedException)) {
                        fail("only a crash of the worker or the task's failure may come of " + input, e.getCause());
                    }
                }
            }
            assertEquals(inputs.size(), pool.stats().completed() + pool.stats().failed());
        }
        Children.awaitNoChildJvms();
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void badFramesFromAChildFailOnlyItsTaskAndReplaceIt() throws Exception {
        Random random = new Random(14);
        byte[] noise = new byte[300];
        random.nextBytes(noise);
        List<String> inputs = List.of(
                line("not json"),
                line(new String(noise, StandardCharsets.ISO_8859_1).replace('\n', ' ')),
                line("a".repeat(100_000)),
                line("{\"type\":\"result\",\"id\":5}"),
                line("{\"type\":\"result\",\"id\":\"$ID\",\"value\":" + "[".repeat(5000) + "]".repeat(5000) + "}"),
                line("{\"type\":\"launch\",\"id\":\"$ID\"}"),
                line("{\"type\":\"result\",\"id\":\"someone-else\",\"value\":1}"),
                line("{\"type\":\"hello\",\"version\":1}"),
                line("{\"type\":\"progress\",\"id\":\"$ID\",\"fraction\":\"half\"}"),
                "TRUNCATE:" + line("{\"type\":\"result\",\"id\":\"$ID\""),
                line("{\"type\":\"log\",\"stream\":\"stdout\",\"line\":\"harmless\"}"));
        fuzz(inputs, false);
    }

    @Test
    @Tag("stress")
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void manyMutatedFramesFromAChild() throws Exception {
        Random random = new Random(1414);
        String[] valid = {"{\"type\":\"result\",\"id\":\"$ID\",\"value\":\"x\"}",
            "{\"type\":\"progress\",\"id\":\"$ID\",\"fraction\":0.5,\"message\":\"m\"}",
            "{\"type\":\"message\",\"id\":\"$ID\",\"value\":{\"a\":[1,2,{\"b\":null}]}}",
            "{\"type\":\"error\",\"id\":\"$ID\",\"error\":{\"class\":\"X\",\"message\":\"m\",\"stack\":[]}}"};
        List<String> inputs = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            char[] frame = valid[random.nextInt(valid.length)].toCharArray();
            for (int m = random.nextInt(4); m >= 0; m--) {
                frame[random.nextInt(frame.length)] = (char) (32 + random.nextInt(95));
            }
            inputs.add(line(new String(frame)));
        }
        fuzz(inputs, true);
    }
}
