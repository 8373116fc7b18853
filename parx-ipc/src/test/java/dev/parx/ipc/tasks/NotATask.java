package dev.parx.ipc.tasks;

/** Not a Task; its static initializer records that it ran, which a child must never let happen. */
public final class NotATask {
    static {
        System.setProperty("parx.test.notATask.initialized", "true");
    }

    /** Public, with a public constructor, as a gadget would be. */
    public NotATask() {
        System.setProperty("parx.test.notATask.instantiated", "true");
    }
}
