package dev.parx.internal;

import dev.parx.Task;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;

/** Checks and instantiates {@link Task} classes, with errors that say what to fix. */
public final class TaskClasses {

    private static final ClassValue<Object> CONSTRUCTORS = new ClassValue<>() {
        @Override
        protected Object computeValue(Class<?> type) {
            try {
                return checked(type);
            } catch (IllegalArgumentException e) {
                return e;
            }
        }
    };

    private TaskClasses() {
    }

    /**
     * Checks that a pool can instantiate the class.
     *
     * @param taskClass the class
     * @throws IllegalArgumentException naming the class and what is wrong with it
     */
    public static void check(Class<?> taskClass) {
        constructor(taskClass);
    }

    /**
     * Creates a new instance of a task class.
     *
     * @param taskClass the class, which must pass {@link #check(Class)}
     * @param <I> the input type
     * @param <O> the output type
     * @return a new instance
     * @throws Exception whatever the constructor threw
     */
    @SuppressWarnings("unchecked")
    public static <I, O> Task<I, O> instantiate(Class<? extends Task<I, O>> taskClass) throws Exception {
        try {
            return (Task<I, O>) constructor(taskClass).newInstance();
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static Constructor<?> constructor(Class<?> taskClass) {
        if (taskClass == null) {
            throw new NullPointerException("task class");
        }
        Object value = CONSTRUCTORS.get(taskClass);
        if (value instanceof IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        return (Constructor<?>) value;
    }

    private static Constructor<?> checked(Class<?> type) {
        String name = type.getName();
        if (!Task.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException(name + " does not implement " + Task.class.getName());
        }
        if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
            throw new IllegalArgumentException("task class " + name + " is abstract; submit a concrete class");
        }
        if (type.isAnonymousClass() || type.isLocalClass() || type.isHidden()) {
            throw new IllegalArgumentException("task class " + name
                    + " is anonymous, local or a lambda; a pool needs a named public class");
        }
        for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
            if (!Modifier.isPublic(c.getModifiers())) {
                throw new IllegalArgumentException("task class " + name + " must be public"
                        + (c == type ? "" : " and so must its enclosing class " + c.getName()));
            }
        }
        if (type.isMemberClass() && !Modifier.isStatic(type.getModifiers())) {
            throw new IllegalArgumentException("task class " + name + " is an inner class; make it static");
        }
        String pkg = type.getPackageName();
        Module reader = TaskClasses.class.getModule();
        if (type.getModule().isNamed() && !type.getModule().isExported(pkg, reader)) {
            throw new IllegalArgumentException("package " + pkg + " of module " + type.getModule().getName()
                    + " is not exported to " + reader.getName() + ", so task class " + name
                    + " cannot be instantiated; add 'exports " + pkg + "' to its module-info");
        }
        try {
            return type.getConstructor();
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException("task class " + name + " needs a public no-argument constructor");
        }
    }
}
