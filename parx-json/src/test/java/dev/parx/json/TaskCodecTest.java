package dev.parx.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parx.Task;
import dev.parx.TaskContext;
import dev.parx.TaskFailedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DefaultTyping;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;

public class TaskCodecTest {

    /** Written by the static initializers of the tripwire classes, so that reading it initializes neither. */
    public static final class Initialized {
        static volatile boolean tripwire;
        static volatile boolean tripwireTask;

        private Initialized() {
        }
    }

    /** A value type that a task takes and returns. */
    public record Point(int x, int y) {
    }

    /** A task with nested generic types. */
    public static final class Nearest implements Task<List<Point>, Map<String, Point>> {
        @Override
        public Map<String, Point> run(List<Point> input, TaskContext context) {
            return Map.of("first", input.getFirst());
        }
    }

    /** A generic task whose type arguments a subclass fixes. */
    public abstract static class Generic<T> implements Task<T, List<T>> {
    }

    /** Fixes the types of {@link Generic}. */
    public static final class Fixed extends Generic<Point> {
        @Override
        public List<Point> run(Point input, TaskContext context) {
            return List.of(input);
        }
    }

    /** A raw task: its types cannot be resolved. */
    @SuppressWarnings("rawtypes")
    public static final class Raw implements Task {
        @Override
        public Object run(Object input, TaskContext context) {
            return input;
        }
    }

    /** Records whether it was ever initialized. */
    public static final class Tripwire {
        static {
            Initialized.tripwire = true;
        }

        private Tripwire() {
        }
    }

    /** A task that must not be initialized by a check either. */
    public static final class TripwireTask implements Task<String, String> {
        static {
            Initialized.tripwireTask = true;
        }

        @Override
        public String run(String input, TaskContext context) {
            return input;
        }
    }

    /** A task without a no-argument constructor. */
    public static final class NoDefaultConstructor implements Task<String, String> {
        /**
         * Takes an argument.
         *
         * @param ignored ignored
         */
        public NoDefaultConstructor(String ignored) {
        }

        @Override
        public String run(String input, TaskContext context) {
            return input;
        }
    }

    /** Cannot be written as JSON: its getter throws. */
    public static final class Unwritable {
        /**
         * Throws.
         *
         * @return never
         */
        public String getValue() {
            throw new IllegalStateException("no value");
        }
    }

    private final TaskCodec codec = TaskCodec.standard();
    private final ClassLoader loader = getClass().getClassLoader();

    @Test
    void inputsAndOutputsDecodeToTheTasksOwnTypeArguments() {
        byte[] input = codec.encode(List.of(new Point(1, 2), new Point(3, 4)));
        Object points = codec.decode(input, codec.inputType(Nearest.class));
        assertEquals(List.of(new Point(1, 2), new Point(3, 4)), points);
        Object output = codec.decode(codec.toTree(Map.of("first", new Point(5, 6))), codec.outputType(Nearest.class));
        assertEquals(Map.of("first", new Point(5, 6)), output);
        assertInstanceOf(Point.class, ((Map<?, ?>) output).get("first"));
    }

    @Test
    void typeArgumentsFixedBySubclassesAreResolved() {
        assertEquals(new Point(7, 8), codec.decode(codec.encode(new Point(7, 8)), codec.inputType(Fixed.class)));
        assertEquals(List.of(new Point(7, 8)),
                codec.decode(codec.encode(List.of(new Point(7, 8))), codec.outputType(Fixed.class)));
    }

    @Test
    void unresolvableTypesDecodeAsPlainJsonValues() {
        Object value = codec.decode(codec.encode(new Point(1, 2)), codec.inputType(Raw.class));
        assertEquals(Map.of("x", 1, "y", 2), value);
        assertEquals(List.of("a", 1), codec.decode(codec.toTree(List.of("a", 1)), codec.type(Object.class)));
    }

    @Test
    void primitivesArraysAndNullsRoundTrip() {
        long[] sums = (long[]) codec.decode(codec.encode(new long[] {1, 40_000_000_000L}), codec.type(long[].class));
        assertEquals(40_000_000_000L, sums[1]);
        byte[] bytes = {1, 2, (byte) 255};
        assertTrue(Arrays.equals(bytes, (byte[]) codec.decode(codec.encode(bytes), codec.type(byte[].class))));
        assertNull(codec.decode(codec.encode(null), codec.type(String.class)));
        assertNull(codec.decode((JsonNode) null, codec.type(String.class)));
    }

    @Test
    void aValueThatDoesNotFitItsTypeIsRefusedWithTheType() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> codec.decode("\"not a number\"".getBytes(StandardCharsets.UTF_8), codec.type(Long.class)));
        assertTrue(e.getMessage().contains("java.lang.Long"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> codec.readTree("{\"open\":".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aValueThatCannotBeWrittenIsRefusedWithItsClass() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> codec.encode(new Unwritable()));
        assertTrue(e.getMessage().contains(Unwritable.class.getName()), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> codec.toTree(new Unwritable()));
    }

    @Test
    void defaultTypingIsOffWhateverTheUsersMapperSays() {
        JsonMapper typing = JsonMapper.builder()
                .activateDefaultTyping(BasicPolymorphicTypeValidator.builder().allowIfBaseType(Object.class).build(),
                        DefaultTyping.NON_FINAL)
                .build();
        TaskCodec fromTyping = TaskCodec.of(typing);
        String written = new String(fromTyping.encode(List.of(new Point(1, 2))), StandardCharsets.UTF_8);
        assertEquals("[{\"x\":1,\"y\":2}]", written);
        // A class named in the JSON is not instantiated: the value stays a plain JSON array.
        Object decoded = fromTyping.decode("[\"java.lang.ProcessBuilder\",[\"true\"]]".getBytes(StandardCharsets.UTF_8),
                fromTyping.type(Object.class));
        assertEquals(List.of("java.lang.ProcessBuilder", List.of("true")), decoded);
    }

    @ParameterizedTest
    @ValueSource(strings = {"java.lang.Runtime", "java.lang.ProcessBuilder", "com.sun.rowset.JdbcRowSetImpl",
            "dev.parx.json.TaskCodecTest$Tripwire"})
    void classesThatAreNotTasksAreRefusedBeforeTheyAreInitialized(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> codec.taskClass(name, loader));
        assertTrue(e.getMessage().contains(name) && e.getMessage().contains("does not implement"), e.getMessage());
        assertFalse(Initialized.tripwire, "the refused class was initialized");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not a class", "java.lang.String;rm -rf", "[Ljava.lang.Runtime;", "a..b"})
    void namesThatAreNotClassNamesAreRefused(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> codec.taskClass(name, loader));
        assertTrue(e.getMessage().contains("not a class name"), e.getMessage());
    }

    @Test
    void namesWithIdentifierIgnorableCharactersAreRefused() {
        // Character.isJavaIdentifierPart accepts NUL and other controls; a class name on the wire must not.
        for (String name : List.of("java.lang.Run\u0000time", "dev.parx.Task\u0008", "a\u007fb")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> codec.taskClass(name, loader));
            assertTrue(e.getMessage().contains("not a class name"), e.getMessage());
        }
    }

    @Test
    void aJsonNullDecodesAsTheTypesNullValueFromATreeAsFromBytes() {
        JavaType optional = codec.mapper().getTypeFactory().constructType(new TypeReference<Optional<Point>>() { });
        assertEquals(Optional.empty(), codec.decode(codec.encode(null), optional));
        assertEquals(Optional.empty(), codec.decode(codec.toTree(null), optional));
        assertNull(codec.decode(codec.toTree(null), codec.type(Point.class)));
    }

    @Test
    void missingAndUninstantiableTaskClassesAreRefusedWithTheReason() {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> codec.taskClass("com.example.NoSuchTask", loader));
        assertTrue(missing.getMessage().contains("not on this JVM's class path"), missing.getMessage());
        IllegalArgumentException noConstructor = assertThrows(IllegalArgumentException.class,
                () -> codec.taskClass(NoDefaultConstructor.class.getName(), loader));
        assertTrue(noConstructor.getMessage().contains("no-argument constructor"), noConstructor.getMessage());
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> codec.taskClass("a".repeat(2000), loader));
        assertTrue(tooLong.getMessage().length() < 300, tooLong.getMessage());
    }

    @Test
    void aTaskClassIsAcceptedWithoutBeingInitialized() {
        assertSame(TripwireTask.class.getName(), codec.taskClass(TripwireTask.class.getName(), loader).getName());
        assertFalse(Initialized.tripwireTask, "checking the task class initialized it");
        assertSame(Nearest.class, codec.taskClass(Nearest.class.getName(), loader));
    }

    @Test
    void aFailureComesBackWithClassMessageStackAndCauses() {
        IOException root = new IOException("disk gone");
        IllegalStateException failure = new IllegalStateException("boom", new UncheckedIOException("wrapped", root));
        JsonNode json = codec.readTree(codec.encode(codec.encodeFailure(failure)));
        TaskFailedException decoded = codec.decodeFailure(json, "pool-1", "com.example.Task");
        assertEquals(IllegalStateException.class.getName(), decoded.exceptionClassName());
        assertEquals("boom", decoded.exceptionMessage());
        assertEquals("pool-1", decoded.taskId());
        assertEquals(frames(failure.getStackTrace()), frames(decoded.exceptionStackTrace()));
        assertNull(decoded.getCause());
        RemoteCause first = assertInstanceOf(RemoteCause.class, decoded.getSuppressed()[0]);
        assertEquals(UncheckedIOException.class.getName(), first.className());
        assertEquals("wrapped", first.getMessage());
        RemoteCause second = assertInstanceOf(RemoteCause.class, first.getCause());
        assertEquals("java.io.IOException: disk gone", second.toString());
        assertEquals(frames(root.getStackTrace()), frames(second.getStackTrace()));
        assertNull(second.getCause());
    }

    @Test
    void causeChainsAreBoundedAndCyclesEnd() {
        RuntimeException deep = new RuntimeException("level 0");
        for (int i = 1; i < 100; i++) {
            deep = new RuntimeException("level " + i, deep);
        }
        TaskFailedException decoded = codec.decodeFailure(codec.encodeFailure(deep), "t", "T");
        int depth = 1;
        for (Throwable t = decoded.getSuppressed()[0]; t != null; t = t.getCause()) {
            depth++;
        }
        assertEquals(16, depth);

        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        TaskFailedException cyclic = codec.decodeFailure(codec.encodeFailure(a), "t", "T");
        assertEquals("b", cyclic.getSuppressed()[0].getMessage());
        assertNull(cyclic.getSuppressed()[0].getCause());
    }

    @Test
    void aRemoteCausePassedOnKeepsItsRemoteClassName() {
        RemoteCause remote = new RemoteCause("com.example.Gone", "far away", new StackTraceElement[0], null);
        assertEquals("com.example.Gone",
                codec.decodeFailure(codec.encodeFailure(remote), "t", "T").exceptionClassName());
    }

    @Test
    void malformedFailuresAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> codec.decodeFailure(codec.toTree(List.of(1)), "t", "T"));
        assertThrows(IllegalArgumentException.class,
                () -> codec.decodeFailure(codec.toTree(Map.of("message", "no class")), "t", "T"));
        assertThrows(IllegalArgumentException.class,
                () -> codec.decodeFailure(codec.toTree(Map.of("class", "X", "stack", "not an array")), "t", "T"));
    }

    /** The frames as class, method, file and line: a remote stack has no class loader or module names. */
    private static List<String> frames(StackTraceElement[] stack) {
        return Arrays.stream(stack)
                .map(e -> e.getClassName() + "." + e.getMethodName() + "(" + e.getFileName() + ":" + e.getLineNumber() + ")")
                .toList();
    }
}
