package dev.parx.ipc.internal;

import dev.parx.Task;
import dev.parx.ipc.ProtocolException;
import java.util.Objects;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Encodes and decodes frames with one {@link ObjectMapper}, on both sides of the wire. Each frame
 * is parsed by a parser of its own, so Jackson's {@code StreamReadConstraints} (nesting depth,
 * string and number lengths) apply per frame; the raw size was checked before, by
 * {@link LineReader}. Default typing is always off: the wire never names a class that Jackson
 * would instantiate. Thread-safe, as the mapper is.
 */
public final class Wire {

    private final ObjectMapper mapper;

    /**
     * Uses a mapper, with default typing turned off whatever it was.
     *
     * @param mapper the user's mapper, or null for a plain one
     */
    public Wire(JsonMapper mapper) {
        this.mapper = mapper == null ? JsonMapper.builder().build() : mapper.rebuild().deactivateDefaultTyping().build();
    }

    /**
     * Returns the mapper.
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
        byte[] line = java.util.Arrays.copyOf(json, json.length + 1);
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
            node = mapper.readTree(line);
        } catch (JacksonException e) {
            throw new ProtocolException("a frame is not valid JSON (" + firstLine(e.getOriginalMessage()) + "): "
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
                    + new java.util.TreeSet<>(expected) + "): " + Frames.quote(line, line.length));
        }
        return new Frame(type.asString(), object, line);
    }

    /**
     * Converts a decoded value to a Java type.
     *
     * @param value the value
     * @param type the type
     * @return the value as that type
     * @throws JacksonException if it does not fit
     */
    public Object value(JsonNode value, JavaType type) {
        return mapper.treeToValue(value, type);
    }

    /**
     * Resolves a task class's input and output types ({@code Task<List<Point>, Map<String, Point>>}
     * gives those, not maps), for decoding; a type it cannot resolve is {@code Object}.
     *
     * @param taskClass the task class
     * @return the input type and the output type
     */
    public JavaType[] taskTypes(Class<?> taskClass) {
        Objects.requireNonNull(taskClass, "taskClass");
        JavaType[] types = mapper.getTypeFactory().findTypeParameters(mapper.constructType(taskClass), Task.class);
        if (types == null || types.length != 2) {
            JavaType object = mapper.constructType(Object.class);
            return new JavaType[] {object, object};
        }
        return types;
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "unreadable";
        }
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }
}
