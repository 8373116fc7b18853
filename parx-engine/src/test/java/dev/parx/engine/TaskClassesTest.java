package dev.parx.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parx.Task;
import dev.parx.TaskContext;
import org.junit.jupiter.api.Test;

/** Public, because the tasks nested in it must be reachable. */
public class TaskClassesTest {

    /** A valid task. */
    public static final class Valid implements Task<String, String> {
        @Override
        public String run(String input, TaskContext context) {
            return input + "!";
        }
    }

    /** An inner (non-static) class. */
    public final class Inner implements Task<String, String> {
        @Override
        public String run(String input, TaskContext context) {
            return input;
        }
    }

    /** A constructor that throws. */
    public static final class Throwing implements Task<String, String> {
        /** Throws. */
        public Throwing() {
            throw new IllegalStateException("cannot build");
        }

        @Override
        public String run(String input, TaskContext context) {
            return input;
        }
    }

    @Test
    void aValidTaskIsInstantiatedFreshEachTime() throws Exception {
        Task<String, String> first = TaskClasses.instantiate(Valid.class);
        assertEquals("a!", first.run("a", null));
        assertTrue(first != TaskClasses.instantiate(Valid.class));
    }

    @Test
    void refusalsNameTheClassAndTheFix() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TaskClasses.check(Inner.class))
                .getMessage().contains("inner class; make it static"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TaskClasses.check(String.class))
                .getMessage().contains("does not implement dev.parx.Task"));
        Task<String, String> lambda = (input, context) -> input;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TaskClasses.check(lambda.getClass()))
                .getMessage().contains("a pool needs a named public class"));
        assertThrows(NullPointerException.class, () -> TaskClasses.check(null));
    }

    @Test
    void aConstructorFailureSurfacesAsItself() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TaskClasses.instantiate(Throwing.class));
        assertEquals("cannot build", e.getMessage());
    }
}
