package dev.parx.ipc.internal;

import dev.parx.TaskFailedException;
import java.io.Serial;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A task's exception on the wire: its class name, message, stack and causes. In the parent it
 * becomes a {@link TaskFailedException}; the remote causes, which have no class here, are
 * attached to it as one suppressed {@link RemoteCause} chain.
 */
public final class RemoteFailures {

    /** The most causes kept, and stack frames per exception. */
    private static final int MAX_CAUSES = 16;
    private static final int MAX_FRAMES = 1024;

    private RemoteFailures() {
    }

    /**
     * An exception that was thrown in another JVM, as a cause of a remote failure: its
     * {@link #toString()} and stack are the remote exception's.
     */
    public static final class RemoteCause extends RuntimeException {
        @Serial
        private static final long serialVersionUID = 1L;
        private final String className;

        RemoteCause(String className, String message, StackTraceElement[] stack, RemoteCause cause) {
            super(message, cause, false, true);
            this.className = className;
            setStackTrace(stack);
        }

        /**
         * Returns the remote exception's class name.
         *
         * @return the class name
         */
        public String className() {
            return className;
        }

        @Override
        public String toString() {
            String message = getMessage();
            return message == null ? className : className + ": " + message;
        }
    }

    /**
     * Writes an exception and its causes into a frame field.
     *
     * @param wire the wire
     * @param failure what the task threw
     * @return the field's value
     */
    public static ObjectNode encode(Wire wire, Throwable failure) {
        ObjectNode top = null;
        ObjectNode last = null;
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = failure; t != null && seen.size() < MAX_CAUSES && seen.put(t, true) == null; t = t.getCause()) {
            ObjectNode node = wire.mapper().createObjectNode();
            node.put("class", t.getClass().getName());
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

    /**
     * Makes the parent's exception for a failure read from a frame.
     *
     * @param frame the error frame
     * @param taskId the task's id
     * @param taskClassName the task's class name
     * @return the exception
     * @throws dev.parx.ipc.ProtocolException if the field is not an encoded exception
     */
    public static TaskFailedException decode(Frame frame, String taskId, String taskClassName) {
        ObjectNode error = frame.object("error");
        TaskFailedException failure = new TaskFailedException(taskId, taskClassName, className(frame, error),
                text(frame, error, "message"), stack(frame, error));
        List<ObjectNode> causes = new ArrayList<>();
        for (JsonNode c = error.get("cause"); c instanceof ObjectNode cause && causes.size() < MAX_CAUSES; c = cause.get("cause")) {
            causes.add(cause);
        }
        RemoteCause next = null;
        for (int i = causes.size() - 1; i >= 0; i--) {
            ObjectNode cause = causes.get(i);
            next = new RemoteCause(className(frame, cause), text(frame, cause, "message"), stack(frame, cause), next);
        }
        if (next != null) {
            failure.addSuppressed(next);
        }
        return failure;
    }

    private static String className(Frame frame, ObjectNode error) {
        String name = text(frame, error, "class");
        if (name == null) {
            throw frame.wrong("an exception with a 'class'");
        }
        return name;
    }

    private static String text(Frame frame, ObjectNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw frame.wrong("a text '" + field + "' in its exception");
        }
        return value.asString();
    }

    private static StackTraceElement[] stack(Frame frame, ObjectNode error) {
        JsonNode stack = error.get("stack");
        if (stack == null || stack.isNull()) {
            return new StackTraceElement[0];
        }
        if (!stack.isArray()) {
            throw frame.wrong("an array 'stack' in its exception");
        }
        List<StackTraceElement> elements = new ArrayList<>();
        for (JsonNode e : stack) {
            if (!(e instanceof ObjectNode element) || elements.size() >= MAX_FRAMES) {
                throw frame.wrong("stack frames that are objects, at most " + MAX_FRAMES);
            }
            String cls = text(frame, element, "class");
            String method = text(frame, element, "method");
            JsonNode line = element.get("line");
            elements.add(new StackTraceElement(cls == null ? "?" : cls, method == null ? "?" : method,
                    text(frame, element, "file"), line != null && line.canConvertToInt() ? line.asInt() : -1));
        }
        return elements.toArray(StackTraceElement[]::new);
    }
}
