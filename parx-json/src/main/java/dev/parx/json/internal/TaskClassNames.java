package dev.parx.json.internal;

import dev.parx.Task;
import dev.parx.engine.TaskClasses;
import java.util.regex.Pattern;

/**
 * Resolves a task class named on the wire without running any of its code: the name must look
 * like a binary class name, the class is loaded without being initialized, and it is accepted only
 * if it implements {@link Task} and passes {@link TaskClasses#check}. No other class named on the
 * wire is ever initialized, let alone instantiated.
 */
public final class TaskClassNames {

    /** Longer names are refused before any class loader sees them. */
    public static final int MAX_LENGTH = 1000;
    /**
     * Java identifiers joined by {@code .} or {@code $}; identifier-ignorable characters (controls
     * such as NUL, which {@code Character.isJavaIdentifierPart} accepts) are refused.
     */
    private static final Pattern BINARY_NAME;

    static {
        String start = "\\p{javaJavaIdentifierStart}";
        String part = "[\\p{javaJavaIdentifierPart}&&[^\\p{javaIdentifierIgnorable}]]";
        BINARY_NAME = Pattern.compile(start + part + "*(?:[.$]" + start + part + "*)*");
    }

    private TaskClassNames() {
    }

    /**
     * Loads and checks a task class.
     *
     * @param name the binary class name, as {@link Class#getName()} gives it
     * @param loader where to look for it
     * @return the class, not yet initialized
     * @throws IllegalArgumentException naming the class and why it was refused
     */
    public static Class<?> resolve(String name, ClassLoader loader) {
        if (name == null) {
            throw new IllegalArgumentException("refused task class: no name was given");
        }
        if (name.length() > MAX_LENGTH || !BINARY_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("refused task class '" + shortened(name) + "': not a class name");
        }
        Class<?> type;
        try {
            type = Class.forName(name, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException("refused task class " + name
                    + ": it is not on this JVM's class path, nor in a module this JVM resolved (" + e + ")", e);
        }
        if (!Task.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException("refused task class " + name + ": it does not implement "
                    + Task.class.getName());
        }
        try {
            TaskClasses.check(type);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("refused task class " + name + ": " + e.getMessage(), e);
        }
        return type;
    }

    private static String shortened(String name) {
        return name.length() > 100 ? name.substring(0, 100) + "..." : name;
    }
}
