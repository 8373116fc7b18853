package dev.parx.json;

import dev.parx.Task;
import dev.parx.TaskFailedException;
import dev.parx.json.internal.Failures;
import dev.parx.json.internal.TaskClassNames;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Task values as JSON, the same on every side of a wire: the codec that a pool running tasks in
 * another JVM (a child JVM, a cluster member) and the code on the other side share, so that a value
 * behaves the same whichever runs it.
 *
 * <pre>{@code
 * TaskCodec codec = TaskCodec.standard();
 * // the submitting side
 * byte[] input = codec.encode(List.of(new Point(1, 2)));
 * // the running side: only a Task class is ever loaded by name, and it is checked before it is initialized
 * Class<?> task = codec.taskClass(name, loader);
 * Object points = codec.decode(input, codec.inputType(task));   // a List of Point records, not of maps
 * }</pre>
 *
 * <p>Inputs and outputs decode to the task's own type arguments, resolved from its class against
 * {@link Task} ({@code Task<List<Point>, Map<String, Point>>} gives {@code Point} records); a type
 * argument that cannot be resolved decodes as plain JSON values ({@code Map}, {@code List},
 * {@code String}, numbers, booleans). Default typing is always off, whatever the mapper it was
 * made from: no JSON ever names a class that Jackson would instantiate. Jackson's stream read
 * constraints (nesting depth, string and number lengths) bound what a decode accepts.
 *
 * <p>Failures travel as their class name, message, stack and causes ({@link #encodeFailure}), and
 * come back as a {@link TaskFailedException} ({@link #decodeFailure}).
 *
 * <p>Immutable and thread-safe, as its mapper is.
 */
public final class TaskCodec {

    private static final TaskCodec STANDARD = new TaskCodec(JsonMapper.builder().build());

    private final JsonMapper mapper;
    private final JavaType objectType;
    /** The input and output types of each task class. */
    private final ClassValue<JavaType[]> taskTypes = new ClassValue<>() {
        @Override
        protected JavaType[] computeValue(Class<?> taskClass) {
            JavaType[] types = mapper.getTypeFactory().findTypeParameters(mapper.constructType(taskClass), Task.class);
            return types == null || types.length != 2 ? new JavaType[] {objectType, objectType} : types;
        }
    };

    private TaskCodec(JsonMapper mapper) {
        this.mapper = mapper;
        this.objectType = mapper.constructType(Object.class);
    }

    /**
     * Returns the codec with Jackson's default settings.
     *
     * @return the shared standard codec
     */
    public static TaskCodec standard() {
        return STANDARD;
    }

    /**
     * Returns a codec that uses a mapper of the user's (modules, naming, date formats), with default
     * typing turned off whatever it was. Both sides of a wire must use equivalent mappers.
     *
     * @param mapper the mapper
     * @return the codec
     * @throws NullPointerException if the mapper is null
     */
    public static TaskCodec of(JsonMapper mapper) {
        Objects.requireNonNull(mapper, "mapper");
        return new TaskCodec(mapper.rebuild().deactivateDefaultTyping().build());
    }

    /**
     * Returns the mapper, with default typing off.
     *
     * @return the mapper
     */
    public JsonMapper mapper() {
        return mapper;
    }

    /**
     * Loads a task class named on the wire and checks it without running any of its code: the
     * class is loaded with {@code Class.forName(name, false, loader)}, so that it is not initialized,
     * and accepted only if it implements {@link Task} and passes
     * {@link dev.parx.engine.TaskClasses#check}. A name of any other class ({@code java.lang.Runtime},
     * a deserialization gadget) is refused before that class is initialized.
     *
     * @param className the binary class name, as {@link Class#getName()} gives it
     * @param loader the class loader to look in
     * @return the class, checked and not yet initialized
     * @throws IllegalArgumentException naming the class and why it was refused: not a class name, not
     *     found, not a {@code Task}, or not instantiable
     * @throws NullPointerException if the loader is null
     */
    public Class<?> taskClass(String className, ClassLoader loader) {
        Objects.requireNonNull(loader, "loader");
        return TaskClassNames.resolve(className, loader);
    }

    /**
     * Returns the type that a task class's input decodes to: its first type argument to {@link Task}.
     *
     * @param taskClass the task class
     * @return the input type, {@code Object} if it cannot be resolved
     */
    public JavaType inputType(Class<?> taskClass) {
        return taskTypes.get(Objects.requireNonNull(taskClass, "taskClass"))[0];
    }

    /**
     * Returns the type that a task class's output decodes to: its second type argument to {@link Task}.
     *
     * @param taskClass the task class
     * @return the output type, {@code Object} if it cannot be resolved
     */
    public JavaType outputType(Class<?> taskClass) {
        return taskTypes.get(Objects.requireNonNull(taskClass, "taskClass"))[1];
    }

    /**
     * Returns the type of a class, for {@link #decode}: {@code type(Object.class)} decodes plain JSON
     * values, as a message of unknown type is.
     *
     * @param type the class
     * @return its type
     */
    public JavaType type(Class<?> type) {
        return type == Object.class ? objectType : mapper.constructType(type);
    }

    /**
     * Encodes a value (an input, an output, a message) as a JSON tree, to embed in a frame.
     *
     * @param value the value, which may be null
     * @return the tree
     * @throws IllegalArgumentException naming the value's class if it cannot be written as JSON
     */
    public JsonNode toTree(Object value) {
        try {
            return mapper.valueToTree(value);
        } catch (JacksonException e) {
            throw notWritable(value, e);
        }
    }

    /**
     * Encodes a value (an input, an output, a message, a tree) as UTF-8 JSON.
     *
     * @param value the value, which may be null
     * @return the bytes
     * @throws IllegalArgumentException naming the value's class if it cannot be written as JSON
     */
    public byte[] encode(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JacksonException e) {
            throw notWritable(value, e);
        }
    }

    /**
     * Parses UTF-8 JSON into a tree.
     *
     * @param json the bytes
     * @return the tree
     * @throws IllegalArgumentException if the bytes are not one JSON value within the read constraints
     */
    public JsonNode readTree(byte[] json) {
        Objects.requireNonNull(json, "json");
        try {
            return mapper.readTree(json);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Decodes a JSON tree to a type.
     *
     * @param json the tree; a null reference decodes as null, and a JSON null as the type's null
     *     value (null, or {@code Optional.empty()} for an {@code Optional}), as it does from bytes
     * @param type the type, such as {@link #inputType}
     * @return the value
     * @throws IllegalArgumentException if the JSON does not decode as that type
     */
    public Object decode(JsonNode json, JavaType type) {
        Objects.requireNonNull(type, "type");
        if (json == null) {
            return null;
        }
        try {
            return mapper.treeToValue(json, type);
        } catch (JacksonException e) {
            throw notDecodable(type, e);
        }
    }

    /**
     * Decodes UTF-8 JSON to a type, without building a tree first.
     *
     * @param json the bytes
     * @param type the type, such as {@link #inputType}
     * @return the value
     * @throws IllegalArgumentException if the JSON does not decode as that type
     */
    public Object decode(byte[] json, JavaType type) {
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(type, "type");
        try {
            return mapper.readValue(json, type);
        } catch (JacksonException e) {
            throw notDecodable(type, e);
        }
    }

    /**
     * Encodes a failure: its class name, message, stack and causes, at most 16 exceptions deep and
     * 1024 frames each.
     *
     * @param failure what a task threw
     * @return the JSON object
     */
    public JsonNode encodeFailure(Throwable failure) {
        return Failures.encode(mapper, Objects.requireNonNull(failure, "failure"));
    }

    /**
     * Decodes a failure written by {@link #encodeFailure} into the exception the submitter sees. Its
     * {@link TaskFailedException#exceptionClassName()}, message and stack are the remote
     * exception's; its cause is null, as the remote class may not exist here, and the remote causes
     * are one suppressed chain of {@link RemoteCause}s.
     *
     * @param failure the JSON object
     * @param taskId the task's id
     * @param taskClassName the task's class name
     * @return the exception
     * @throws IllegalArgumentException if the JSON is not an encoded failure
     */
    public TaskFailedException decodeFailure(JsonNode failure, String taskId, String taskClassName) {
        return Failures.decode(failure, taskId, taskClassName);
    }

    private static IllegalArgumentException notWritable(Object value, JacksonException e) {
        return new IllegalArgumentException("a " + value.getClass().getName() + " cannot be written as JSON: "
                + e.getOriginalMessage(), e);
    }

    private static IllegalArgumentException notDecodable(JavaType type, JacksonException e) {
        return new IllegalArgumentException("JSON does not decode as " + type.toCanonical() + ": "
                + e.getOriginalMessage(), e);
    }

    @Override
    public String toString() {
        return "TaskCodec[" + mapper.getClass().getSimpleName() + "]";
    }
}
