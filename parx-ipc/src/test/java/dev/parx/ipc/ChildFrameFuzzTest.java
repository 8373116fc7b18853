package dev.parx.ipc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parx.ipc.internal.ChildSession;
import dev.parx.testkit.tasks.EchoTask;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The child's side of the wire under random and mutated frames from a parent: the session either
 * goes on or ends as a protocol violation; no other exception, no hang, no OutOfMemoryError.
 */
class ChildFrameFuzzTest {

    private static final String[] VALID = {
        "{\"type\":\"run\",\"id\":\"r\",\"task\":\"" + EchoTask.class.getName() + "\",\"input\":\"x\"}",
        "{\"type\":\"cancel\",\"id\":\"r\",\"interrupt\":true}",
        "{\"type\":\"message\",\"id\":\"r\",\"value\":[1,{\"a\":\"b\"}]}",
        "{\"type\":\"ping\",\"seq\":1}",
    };

    private static void fuzz(long seed, int cases) throws Exception {
        Random random = new Random(seed);
        for (int i = 0; i < cases; i++) {
            byte[] frame;
            switch (random.nextInt(4)) {
                case 0 -> {
                    frame = new byte[random.nextInt(200)];
                    random.nextBytes(frame);
                }
                case 1 -> {
                    String valid = VALID[random.nextInt(VALID.length)];
                    frame = valid.substring(0, random.nextInt(valid.length())).getBytes(StandardCharsets.UTF_8);
                }
                case 2 -> {
                    char[] chars = VALID[random.nextInt(VALID.length)].toCharArray();
                    for (int m = random.nextInt(4); m >= 0; m--) {
                        chars[random.nextInt(chars.length)] = (char) (32 + random.nextInt(95));
                    }
                    frame = new String(chars).getBytes(StandardCharsets.UTF_8);
                }
                default -> frame = ("{\"type\":\"message\",\"id\":\"r\",\"value\":" + "[".repeat(random.nextInt(3000))
                        + "}").getBytes(StandardCharsets.UTF_8);
            }
            ChildHarness child = new ChildHarness(1, 4096);
            try {
                child.sendRaw(frame);
                child.sendRaw(new byte[] {'\n'});
            } catch (java.io.IOException ended) {
                // the session ended at an earlier line: that is allowed
            } finally {
                child.close();
            }
            int code = child.exitCode();
            assertTrue(code == 0 || code == ChildSession.PROTOCOL_VIOLATION_EXIT, "exit " + code);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void randomTruncatedMutatedAndDeepFramesEndOnlyInProtocolViolations() throws Exception {
        fuzz(14, 300);
    }

    @Test
    @Tag("stress")
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void manyMoreFrames() throws Exception {
        fuzz(1414, 50_000);
    }
}
