package dev.parx.ipc.internal;

import dev.parx.TaskFailedException;
import dev.parx.ipc.ProtocolException;
import dev.parx.json.TaskCodec;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Encodes and decodes frames, on both sides of the wire, with one {@link TaskCodec} (parx-json's,
 * shared with every pool that runs tasks in another JVM) for the values inside them. Each frame is
 * parsed by a parser of its own, so Jackson's {@code StreamReadConstraints} (nesting depth, string
 * and number lengths) apply per frame; the raw size was checked before, by {@link LineReader}.
 * Default typing is always off: the wire never names a class that Jackson would instantiate.
 * A value the codec refuses inside a frame read from the other side is a {@link ProtocolException}
 * ({@link #failure}, {@link #value}). Thread-safe, as the codec is.
 */
public final class Wire {

    private final TaskCodec codec;
    private final ObjectMapper mapper;

    /**
     * Uses a mapper, with default typing turned off whatever it was.
     *
     * @param mapper the user's mapper, or null for a plain one
     */
    public Wire(JsonMapper mapper) {
        this.codec = mapper == null ? TaskCodec.standard() : TaskCodec.of(mapper);
        this.mapper = codec.mapper();
    }

    /**
     * Returns the codec of the values in the frames.
     *
     * @return the codec
     */
    public TaskCodec codec() {
        return codec;
    }

    /**
     * Returns the mapper, the codec's.
     *
     * @return the mapper
     */
    public ObjectMapper mapper() {
        return mapper;
    }

    /**
     * Starts a frame.
     *
     * @param type its type
     * @return the frame's fields, to add to
     */
    public ObjectNode frame(String type) {
        ObjectNode frame = mapper.createObjectNode();
        frame.put("type", type);
        return frame;
    }

    /**
     * Encodes a frame, values included, into one line's bytes with its newline.
     *
     * @param frame the frame
     * @return the bytes
     * @throws JacksonException if a value cannot be written as JSON
     */
    public byte[] encode(ObjectNode frame) {
        byte[] json = mapper.writeValueAsBytes(frame);
        byte[] line = Arrays.copyOf(json, json.length + 1);
        line[json.length] = '\n';
        return line;
    }

    /**
     * Decodes one line into a frame of one of the expected types.
     *
     * @param line the line, without its newline
     * @param expected the types this side may receive
     * @return the frame
     * @throws ProtocolException if the line is not a JSON object with a known type
     */
    public Frame decode(byte[] line, Set<String> expected) {
        JsonNode node;
        try {
            node = codec.readTree(line);
        } catch (IllegalArgumentException e) {
            String reason = e.getCause() instanceof JacksonException j ? j.getOriginalMessage() : e.getMessage();
            throw new ProtocolException("a frame is not valid JSON (" + firstLine(reason) + "): "
                    + Frames.quote(line, line.length));
        }
        if (!(node instanceof ObjectNode object)) {
            throw new ProtocolException("a frame must be a JSON object: " + Frames.quote(line, line.length));
        }
        JsonNode type = object.get("type");
        if (type == null || !type.isString()) {
            throw new ProtocolException("a frame needs a text field 'type': " + Frames.quote(line, line.length));
        }
        if (!expected.contains(type.asString())) {
            throw new ProtocolException("unknown frame type '" + type.asString() + "' (expected one of "
                    + new TreeSet<>(expected) + "): " + Frames.quote(line, line.length));
        }
        return new Frame(type.asString(), object, line);
    }

    /**
     * Decodes a value field of a frame from the other side as plain JSON values (maps, lists,
     * strings, numbers, booleans), as a message of unknown type is read.
     *
     * @param frame the frame
     * @param field the field; absent reads as null
     * @return the value
     * @throws ProtocolException if the codec refuses it
     */
    public Object value(Frame frame, String field) {
        try {
            return codec.decode(frame.value(field), codec.type(Object.class));
        } catch (IllegalArgumentException e) {
            throw frame.wrong("a JSON value '" + field + "' (" + firstLine(e.getMessage()) + ")");
        }
    }

    /**
     * Decodes the failure of an error frame from the other side.
     *
     * @param frame the error frame
     * @param taskId the task's id
     * @param taskClassName the task's class name
     * @return the exception the submitter sees, with the remote causes as a suppressed chain of
     *     {@link dev.parx.json.RemoteCause}s
     * @throws ProtocolException if the frame's {@code error} is not an encoded failure
     */
    public TaskFailedException failure(Frame frame, String taskId, String taskClassName) {
        ObjectNode error = frame.object("error");
        try {
            return codec.decodeFailure(error, taskId, taskClassName);
        } catch (IllegalArgumentException e) {
            throw frame.wrong("an encoded exception in 'error' (" + firstLine(e.getMessage()) + ")");
        }
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "unreadable";
        }
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }
}
