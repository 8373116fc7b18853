package dev.parx.ipc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parx.TaskFailedException;
import dev.parx.ipc.internal.Frame;
import dev.parx.ipc.internal.Frames;
import dev.parx.ipc.internal.LineReader;
import dev.parx.ipc.internal.Wire;
import dev.parx.ipc.tasks.Point;
import dev.parx.json.RemoteCause;
import dev.parx.json.TaskCodec;
import dev.parx.ipc.tasks.PointsTask;
import java.io.ByteArrayInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;
import tools.jackson.databind.node.ObjectNode;

/** Frames, their limits and their values. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WireTest {

    private final Wire wire = new Wire(null);

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void linesAreSplitOnNewlinesAndTheLimitIsOnTheRawBytes() throws Exception {
        LineReader reader = new LineReader(new ByteArrayInputStream(utf8("abc\n\nxyz\n" + "x".repeat(11) + "\n")), 10);
        assertArrayEquals(utf8("abc"), reader.next());
        assertArrayEquals(utf8(""), reader.next());
        assertArrayEquals(utf8("xyz"), reader.next());
        ProtocolException tooLong = assertThrows(ProtocolException.class, reader::next);
        assertTrue(tooLong.getMessage().contains("longer than the limit of 10 bytes"), tooLong.getMessage());
        assertTrue(tooLong.getMessage().contains("\"xxxxxxxxxx"), tooLong.getMessage());
    }

    @Test
    void aLineOfExactlyTheLimitPassesAndTheEndOfTheStreamIsNull() throws Exception {
        LineReader reader = new LineReader(new ByteArrayInputStream(utf8("x".repeat(10) + "\n")), 10);
        assertEquals(10, reader.next().length);
        assertNull(reader.next());
    }

    @Test
    void aStreamThatEndsInsideAFrameIsATruncatedFrame() {
        LineReader reader = new LineReader(new ByteArrayInputStream(utf8("{\"type\":\"res")), 100);
        ProtocolException truncated = assertThrows(ProtocolException.class, reader::next);
        assertTrue(truncated.getMessage().contains("truncated"), truncated.getMessage());
        assertTrue(truncated.getMessage().contains("{\\\"type") || truncated.getMessage().contains("{\"type"),
                truncated.getMessage());
    }

    @Test
    void aHugeLineIsRefusedWithoutKeepingIt() throws Exception {
        // 64 MiB of one line through a 1 KiB limit: refused as soon as the limit passes.
        java.io.InputStream endless = new java.io.InputStream() {
            long left = 64L << 20;

            @Override
            public int read() {
                return left-- > 0 ? 'a' : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                int n = (int) Math.min(len, left);
                if (n <= 0) {
                    return -1;
                }
                Arrays.fill(b, off, off + n, (byte) 'a');
                left -= n;
                return n;
            }
        };
        assertThrows(ProtocolException.class, new LineReader(endless, 1024)::next);
    }

    @Test
    void badFramesAreProtocolExceptionsThatQuoteTheirStart() {
        List<String> bad = List.of("not json", "[1]", "\"text\"", "{}", "{\"type\":7}", "{\"type\":\"launch\"}",
                "{\"type\":\"run\"", "{\"type\":\"run\",\"type\":\"run\"}x");
        for (String frame : bad) {
            ProtocolException e = assertThrows(ProtocolException.class, () -> wire.decode(utf8(frame), Frames.FROM_PARENT),
                    frame);
            String start = frame.substring(0, Math.min(frame.length(), 5));
            assertTrue(e.getMessage().contains(start), e.getMessage() + " quotes " + start);
        }
    }

    @Test
    void anUnknownTypeNamesTheTypesExpected() {
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> wire.decode(utf8("{\"type\":\"exec\"}"), Frames.FROM_PARENT));
        assertTrue(e.getMessage().contains("unknown frame type 'exec'"), e.getMessage());
        assertTrue(e.getMessage().contains("run"), e.getMessage());
    }

    @Test
    void deepNestingIsAProtocolExceptionNotAStackOverflow() {
        String deep = "{\"type\":\"run\",\"input\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        ProtocolException e = assertThrows(ProtocolException.class, () -> wire.decode(utf8(deep), Frames.FROM_PARENT));
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
    }

    @Test
    void fieldsOfTheWrongTypeAreProtocolExceptions() {
        Frame frame = wire.decode(utf8("{\"type\":\"progress\",\"id\":1,\"fraction\":\"half\"}"), Frames.FROM_CHILD);
        assertTrue(assertThrows(ProtocolException.class, () -> frame.text("id")).getMessage().contains("'id'"));
        assertThrows(ProtocolException.class, () -> frame.number("fraction"));
        assertThrows(ProtocolException.class, () -> frame.integer("seq"));
        assertThrows(ProtocolException.class, () -> frame.object("error"));
    }

    @Test
    void inputAndOutputTypesAreTheTasksTypeArguments() {
        TaskCodec codec = wire.codec();
        Object input = codec.decode(wire.mapper().readTree("[{\"x\":1,\"y\":2}]"), codec.inputType(PointsTask.class));
        assertEquals(List.of(new Point(1, 2)), input);
        Object output = codec.decode(wire.mapper().readTree("{\"a\":{\"x\":3,\"y\":4}}"), codec.outputType(PointsTask.class));
        assertEquals(Map.of("a", new Point(3, 4)), output);
    }

    @Test
    void aMapperWithDefaultTypingLosesItOnTheWire() {
        JsonMapper typed = JsonMapper.builder()
                .activateDefaultTyping(BasicPolymorphicTypeValidator.builder().allowIfBaseType(Object.class).build())
                .build();
        Wire typedWire = new Wire(typed);
        ObjectNode frame = typedWire.frame(Frames.RESULT);
        frame.putPOJO("value", List.of(new Point(1, 2)));
        String written = new String(typedWire.encode(frame), StandardCharsets.UTF_8);
        assertFalse(written.contains("Point"), written);
        assertFalse(written.contains("java.util"), written);
    }

    @Test
    void aRemoteFailureKeepsItsClassMessageStackAndCauses() {
        Throwable thrown = new UncheckedIOException("outer", new java.io.IOException("middle",
                new IllegalStateException("root")));
        ObjectNode error = wire.frame(Frames.ERROR);
        error.put("id", "t-1");
        error.set("error", wire.codec().encodeFailure(thrown));
        byte[] line = Arrays.copyOf(wire.encode(error), wire.encode(error).length - 1);
        TaskFailedException failure = wire.failure(wire.decode(line, Frames.FROM_CHILD), "t-1", "Some");
        assertEquals(UncheckedIOException.class.getName(), failure.exceptionClassName());
        assertEquals("outer", failure.exceptionMessage());
        assertNull(failure.getCause());
        assertEquals(thrown.getStackTrace()[0].toString().replaceAll("^.*/", ""),
                failure.exceptionStackTrace()[0].toString());
        Throwable middle = failure.getSuppressed()[0];
        assertInstanceOf(RemoteCause.class, middle);
        assertEquals("java.io.IOException: middle", middle.toString());
        assertEquals("java.lang.IllegalStateException: root", middle.getCause().toString());
        assertEquals(thrown.getCause().getCause().getStackTrace()[0].getLineNumber(),
                middle.getCause().getStackTrace()[0].getLineNumber());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"type\":\"error\",\"id\":\"t\",\"error\":{\"message\":\"no class\"}}",
        "{\"type\":\"error\",\"id\":\"t\",\"error\":{\"class\":\"X\",\"stack\":\"not an array\"}}",
        "{\"type\":\"error\",\"id\":\"t\",\"error\":{\"class\":\"X\",\"stack\":[1]}}",
        "{\"type\":\"error\",\"id\":\"t\",\"error\":{\"class\":\"X\",\"cause\":[]}}",
        "{\"type\":\"error\",\"id\":\"t\",\"error\":[]}"})
    void aMalformedFailureIsAProtocolExceptionThatQuotesTheFrame(String line) {
        Frame frame = wire.decode(utf8(line), Frames.FROM_CHILD);
        ProtocolException e = assertThrows(ProtocolException.class, () -> wire.failure(frame, "t", "T"));
        assertTrue(e.getMessage().startsWith("a 'error' frame needs "), e.getMessage());
        assertTrue(e.getMessage().contains("{\"type\":\"error\""), e.getMessage());
    }
}
