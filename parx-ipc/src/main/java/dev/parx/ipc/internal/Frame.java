package dev.parx.ipc.internal;

import dev.parx.ipc.ProtocolException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One decoded frame: its type and its fields, with accessors that turn a missing or mistyped
 * field into a {@link ProtocolException} quoting the frame.
 *
 * @param type the frame's type, one of {@link Frames}'
 * @param body the whole frame
 * @param raw the frame's bytes, for quoting
 */
public record Frame(String type, ObjectNode body, byte[] raw) {

    /**
     * Returns a text field.
     *
     * @param name the field
     * @return its text
     * @throws ProtocolException if it is missing or not text
     */
    public String text(String name) {
        JsonNode node = body.get(name);
        if (node == null || !node.isString()) {
            throw wrong("a text field '" + name + "'");
        }
        return node.asString();
    }

    /**
     * Returns a text field that may be absent or null.
     *
     * @param name the field
     * @return its text, or null
     * @throws ProtocolException if it is there and not text
     */
    public String optionalText(String name) {
        JsonNode node = body.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isString()) {
            throw wrong("a text field '" + name + "'");
        }
        return node.asString();
    }

    /**
     * Returns a whole-number field.
     *
     * @param name the field
     * @return its value
     * @throws ProtocolException if it is missing or not a whole number that fits a long
     */
    public long integer(String name) {
        JsonNode node = body.get(name);
        if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()) {
            throw wrong("a whole-number field '" + name + "'");
        }
        return node.asLong();
    }

    /**
     * Returns a number field.
     *
     * @param name the field
     * @return its value
     * @throws ProtocolException if it is missing or not a number
     */
    public double number(String name) {
        JsonNode node = body.get(name);
        if (node == null || !node.isNumber()) {
            throw wrong("a number field '" + name + "'");
        }
        return node.asDouble();
    }

    /**
     * Returns a boolean field, false if absent.
     *
     * @param name the field
     * @return its value
     * @throws ProtocolException if it is there and not a boolean
     */
    public boolean flag(String name) {
        JsonNode node = body.get(name);
        if (node == null) {
            return false;
        }
        if (!node.isBoolean()) {
            throw wrong("a boolean field '" + name + "'");
        }
        return node.asBoolean();
    }

    /**
     * Returns a field of any JSON type, a JSON null if absent.
     *
     * @param name the field
     * @return its node
     */
    public JsonNode value(String name) {
        JsonNode node = body.get(name);
        return node == null ? NullNode.getInstance() : node;
    }

    /**
     * Returns an object field.
     *
     * @param name the field
     * @return its node
     * @throws ProtocolException if it is missing or not an object
     */
    public ObjectNode object(String name) {
        JsonNode node = body.get(name);
        if (!(node instanceof ObjectNode object)) {
            throw wrong("an object field '" + name + "'");
        }
        return object;
    }

    /**
     * Makes the exception for a frame that is wrong in some way.
     *
     * @param expected what the frame lacks
     * @return the exception
     */
    public ProtocolException wrong(String expected) {
        return new ProtocolException("a '" + type + "' frame needs " + expected + ": " + Frames.quote(raw, raw.length));
    }
}
