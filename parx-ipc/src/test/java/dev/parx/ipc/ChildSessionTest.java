package dev.parx.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parx.ipc.internal.ChildSession;
import dev.parx.ipc.internal.Frames;
import dev.parx.ipc.tasks.CancelAwareTask;
import dev.parx.ipc.tasks.NotATask;
import dev.parx.ipc.tasks.PointsTask;
import dev.parx.testkit.tasks.EchoMessagesTask;
import dev.parx.testkit.tasks.EchoTask;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** The child's side of the protocol, served in this JVM. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChildSessionTest {

    @Test
    void helloCarriesTheVersionTheNonceThePidAndTheCapabilities() throws Exception {
        try (ChildHarness child = new ChildHarness(3, 1024)) {
            JsonNode hello = child.next();
            assertEquals("hello", hello.get("type").asString());
            assertEquals(Frames.VERSION, hello.get("version").asInt());
            assertEquals("nonce-1", hello.get("nonce").asString());
            assertEquals(ProcessHandle.current().pid(), hello.get("pid").asLong());
            assertEquals(3, hello.get("capabilities").get("tasks").asInt());
            assertEquals("test", hello.get("capabilities").get("stdout").asString());
        }
    }

    @Test
    void runsATaskAndAnswersWithItsRequestId() throws Exception {
        try (ChildHarness child = new ChildHarness(1, 1 << 20)) {
            child.next("hello");
            child.send("{\"type\":\"run\",\"id\":\"t-1\",\"task\":\"" + EchoTask.class.getName() + "\",\"input\":\"hi\"}");
            JsonNode result = child.next("result");
            assertEquals("t-1", result.get("id").asString());
            assertEquals("hi", result.get("value").asString());
        }
    }

    @Test
    void inputsArriveAsTheTasksOwnTypeArguments() throws Exception {
        try (ChildHarness child = new ChildHarness(1, 1 << 20)) {
            child.send("{\"type\":\"run\",\"id\":\"p\",\"task\":\"" + PointsTask.class.getName()
                    + "\",\"input\":[{\"x\":1,\"y\":2},{\"x\":3,\"y\":4}]}");
            JsonNode result = child.next("result");
            assertEquals(30, result.get("value").get("p1").get("x").asInt(), result.toString());
        }
    }

    @Test
    void severalTasksRunAtOnceAndMessagesReachTheirTask() throws Exception {
        try (ChildHarness child = new ChildHarness(2, 1 << 20)) {
            for (String id : new String[] {"a", "b"}) {
                child.send("{\"type\":\"run\",\"id\":\"" + id + "\",\"task\":\"" + EchoMessagesTask.class.getName()
                        + "\",\"input\":1}");
            }
            assertEquals("ready", child.next("message").get("value").asString());
            assertEquals("ready", child.next("message").get("value").asString());
            child.send("{\"type\":\"message\",\"id\":\"b\",\"value\":\"to b\"}");
            JsonNode echo = child.next("message");
            assertEquals("b", echo.get("id").asString());
            assertEquals("echo:to b", echo.get("value").asString());
            assertEquals("b", child.next("result").get("id").asString());
        }
    }

    @Test
    void aCancelFrameSetsIsCancelledAndInterrupts() throws Exception {
        try (ChildHarness child = new ChildHarness(1, 1 << 20)) {
            child.send("{\"type\":\"run\",\"id\":\"c\",\"task\":\"" + CancelAwareTask.class.getName() + "\",\"input\":\"\"}");
            child.next("message");
            child.send("{\"type\":\"cancel\",\"id\":\"c\",\"interrupt\":true}");
            assertEquals("interrupted, cancelled=true", child.next("result").get("value").asString());
        }
    }

    @Test
    void pingIsAnsweredAndShutdownSaysBye() throws Exception {
        try (ChildHarness child = new ChildHarness(1, 1024)) {
            child.send("{\"type\":\"ping\",\"seq\":7}");
            assertEquals(7, child.next("pong").get("seq").asInt());
            child.send("{\"type\":\"shutdown\"}");
            child.next("bye");
            assertEquals(0, child.exitCode());
        }
    }

    @Test
    void theEndOfStdinEndsTheSession() throws Exception {
        ChildHarness child = new ChildHarness(1, 1024);
        child.close();
        assertEquals(0, child.exitCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"java.lang.Runtime", "java.lang.ProcessBuilder", "com.sun.rowset.JdbcRowSetImpl",
        "org.springframework.context.support.ClassPathXmlApplicationContext", "javax.script.ScriptEngineManager",
        "dev.parx.ipc.tasks.NotATask", "java.lang.Runtime;rm", "../../etc/passwd", "[Ljava.lang.Runtime;"})
    void aClassThatIsNotATaskIsRefusedAndNothingIsInstantiated(String className) throws Exception {
        try (ChildHarness child = new ChildHarness(1, 1 << 20)) {
            child.send("{\"type\":\"run\",\"id\":\"g\",\"task\":\"" + className + "\",\"input\":{\"@class\":\""
                    + NotATask.class.getName() + "\"}}");
            JsonNode error = child.next("error");
            assertEquals("g", error.get("id").asString());
            assertEquals(IllegalArgumentException.class.getName(), error.get("error").get("class").asString());
            assertTrue(error.get("error").get("message").asString().startsWith("refused task class"), error.toString());
            assertNull(System.getProperty("parx.test.notATask.initialized"), "NotATask was initialized");
            assertNull(System.getProperty("parx.test.notATask.instantiated"), "NotATask was instantiated");
            // The session goes on.
            child.send("{\"type\":\"run\",\"id\":\"e\",\"task\":\"" + EchoTask.class.getName() + "\",\"input\":\"ok\"}");
            assertEquals("ok", child.next("result").get("value").asString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "[1,2]", "{\"id\":\"x\"}", "{\"type\":\"result\",\"id\":\"x\"}",
        "{\"type\":\"run\",\"id\":7,\"task\":\"x\"}", "{\"type\":\"run\",\"id\":\"x\"}", "{\"type\":\"ping\",\"seq\":\"a\"}",
        "{\"type\":\"run\",\"id\":\"x\",\"task\":\"y\"", "\u0000\u0001\u0002"})
    void aBadFrameIsAProtocolViolationThatEndsTheChildWithAReason(String frame) throws Exception {
        try (ChildHarness child = new ChildHarness(1, 1024)) {
            child.send(frame);
            JsonNode bye = child.next("bye");
            assertTrue(bye.get("reason").asString().length() > 10, bye.toString());
            assertEquals(ChildSession.PROTOCOL_VIOLATION_EXIT, child.exitCode());
        }
    }

    @Test
    void anOversizedFrameIsRefusedBeforeItIsParsed() throws Exception {
        try (ChildHarness child = new ChildHarness(1, 1024)) {
            byte[] huge = new byte[4096];
            Arrays.fill(huge, (byte) '[');
            child.sendRaw(huge);
            JsonNode bye = child.next("bye");
            assertTrue(bye.get("reason").asString().contains("longer than the limit of 1024 bytes"), bye.toString());
            assertTrue(bye.get("reason").asString().contains("\"[[[["), bye.toString());
            assertEquals(ChildSession.PROTOCOL_VIOLATION_EXIT, child.exitCode());
        }
    }

    @Test
    void moreTasksThanTheCapacityIsAProtocolViolation() throws Exception {
        try (ChildHarness child = new ChildHarness(1, 1 << 20)) {
            String run = "{\"type\":\"run\",\"id\":\"%s\",\"task\":\"" + CancelAwareTask.class.getName() + "\",\"input\":\"\"}";
            child.send(run.formatted("one"));
            child.next("message");
            child.send(run.formatted("two"));
            assertTrue(child.next("bye").get("reason").asString().contains("1 tasks were running"));
        }
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
