package dev.parx.json.internal;

import dev.parx.TaskFailedException;
import dev.parx.json.RemoteCause;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A failure as JSON: {@code {"class", "message", "stack": [{"class", "method", "file", "line"}],
 * "cause": {...}}}, at most {@link #MAX_CAUSES} deep and {@link #MAX_FRAMES} frames each, so that
 * neither a cause cycle nor a deep recursion makes it unbounded.
 */
public final class Failures {

    /** The most exceptions kept in one chain, the first included. */
    public static final int MAX_CAUSES = 16;
    /** The most stack frames kept per exception. */
    public static final int MAX_FRAMES = 1024;

    private Failures() {
    }

    /**
     * Writes an exception and its causes.
     *
     * @param mapper makes the nodes
     * @param failure the exception
     * @return the JSON object
     */
    public static ObjectNode encode(ObjectMapper mapper, Throwable failure) {
        ObjectNode top = null;
        ObjectNode last = null;
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = failure; t != null && seen.size() < MAX_CAUSES && seen.put(t, true) == null; t = t.getCause()) {
            ObjectNode node = mapper.createObjectNode();
            node.put("class", className(t));
            node.put("message", t.getMessage());
            ArrayNode stack = node.putArray("stack");
            StackTraceElement[] frames = t.getStackTrace();
            for (int i = 0; i < Math.min(frames.length, MAX_FRAMES); i++) {
                StackTraceElement e = frames[i];
                ObjectNode frame = stack.addObject();
                frame.put("class", e.getClassName());
                frame.put("method", e.getMethodName());
                frame.put("file", e.getFileName());
                frame.put("line", e.getLineNumber());
            }
            if (top == null) {
                top = node;
            } else {
                last.set("cause", node);
            }
            last = node;
        }
        return top;
    }

    /** A remote cause passed on again (a task that rethrew what another pool reported) keeps its name. */
    private static String className(Throwable t) {
        return t instanceof RemoteCause remote ? remote.className() : t.getClass().getName();
    }

    /**
     * Reads a failure written by {@link #encode}.
     *
     * @param json the JSON object
     * @param taskId the task's id
     * @param taskClassName the task's class name
     * @return the exception, with the remote causes as one suppressed chain
     * @throws IllegalArgumentException if the JSON is not a failure
     */
    public static TaskFailedException decode(JsonNode json, String taskId, String taskClassName) {
        ObjectNode error = object(json, "a failure");
        TaskFailedException failure = new TaskFailedException(taskId, taskClassName, className(error),
                text(error, "message"), stack(error));
        List<ObjectNode> causes = new ArrayList<>();
        for (JsonNode c = error.get("cause"); c != null && !c.isNull() && causes.size() < MAX_CAUSES - 1;
                c = c.get("cause")) {
            causes.add(object(c, "a cause"));
        }
        RemoteCause next = null;
        for (int i = causes.size() - 1; i >= 0; i--) {
            ObjectNode cause = causes.get(i);
            next = new RemoteCause(className(cause), text(cause, "message"), stack(cause), next);
        }
        if (next != null) {
            failure.addSuppressed(next);
        }
        return failure;
    }

    private static ObjectNode object(JsonNode json, String what) {
        if (json instanceof ObjectNode object) {
            return object;
        }
        throw new IllegalArgumentException(what + " must be a JSON object, not " + (json == null ? "missing" : json.getNodeType()));
    }

    private static String className(ObjectNode error) {
        String name = text(error, "class");
        if (name == null) {
            throw new IllegalArgumentException("a failure needs a text 'class'");
        }
        return name;
    }

    private static String text(ObjectNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw new IllegalArgumentException("field '" + field + "' of a failure must be text, not " + value.getNodeType());
        }
        return value.asString();
    }

    private static StackTraceElement[] stack(ObjectNode error) {
        JsonNode stack = error.get("stack");
        if (stack == null || stack.isNull()) {
            return new StackTraceElement[0];
        }
        if (!stack.isArray() || stack.size() > MAX_FRAMES) {
            throw new IllegalArgumentException("the 'stack' of a failure must be an array of at most " + MAX_FRAMES
                    + " frames");
        }
        List<StackTraceElement> elements = new ArrayList<>(stack.size());
        for (JsonNode e : stack) {
            ObjectNode element = object(e, "a stack frame");
            String cls = text(element, "class");
            String method = text(element, "method");
            JsonNode line = element.get("line");
            elements.add(new StackTraceElement(cls == null ? "?" : cls, method == null ? "?" : method,
                    text(element, "file"), line != null && line.canConvertToInt() ? line.asInt() : -1));
        }
        return elements.toArray(StackTraceElement[]::new);
    }
}
