package dev.parx.engine;

import dev.parx.Task;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;

/** Checks and instantiates {@link Task} classes, with errors that say what to fix. */
public final class TaskClasses {

    /** Makes instances of one task class. */
    @FunctionalInterface
    private interface Factory {
        Object create() throws Exception;
    }

    private static final ClassValue<Object> FACTORIES = new ClassValue<>() {
        @Override
        protected Object computeValue(Class<?> type) {
            try {
                return factory(checked(type));
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
        factory(taskClass);
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
        return (Task<I, O>) factory(taskClass).create();
    }

    private static Factory factory(Class<?> taskClass) {
        if (taskClass == null) {
            throw new NullPointerException("task class");
        }
        Object value = FACTORIES.get(taskClass);
        if (value instanceof IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        return (Factory) value;
    }

    /**
     * A factory that calls the constructor directly, as {@code new} would, where the class can be
     * linked from this module's class loader; reflection otherwise (a class from a child loader).
     */
    private static Factory factory(Constructor<?> constructor) {
        Class<?> type = constructor.getDeclaringClass();
        try {
            if (Class.forName(type.getName(), false, TaskClasses.class.getClassLoader()) == type) {
                TaskClasses.class.getModule().addReads(type.getModule());
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                MethodHandle target = lookup.findConstructor(type, MethodType.methodType(void.class));
                return (Factory) LambdaMetafactory.metafactory(lookup, "create", MethodType.methodType(Factory.class),
                        MethodType.methodType(Object.class), target, MethodType.methodType(type))
                        .getTarget().invokeExact();
            }
        } catch (Throwable notLinkable) {
            // Fall back to reflection below.
        }
        return () -> {
            try {
                return constructor.newInstance();
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof Exception cause) {
                    throw cause;
                }
                throw e;
            }
        };
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
