package dev.parx.ipc;

import dev.parx.ipc.internal.ChildSession;
import dev.parx.ipc.internal.Frames;
import dev.parx.ipc.internal.SharedBufferValues;
import dev.parx.ipc.internal.StdoutGuard;
import dev.parx.ipc.internal.Wire;
import java.io.ByteArrayInputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.InputStream;
import java.lang.reflect.Modifier;
import java.util.function.Supplier;
import tools.jackson.databind.json.JsonMapper;

/**
 * The main class of a {@link JvmPool}'s child JVMs; the pool starts it, nobody else needs to. It
 * keeps the real stdout for frames (see {@code docs/ipc-protocol.md}), forwards what the child's
 * code prints there as {@code log} frames, says hello, and serves the parent's frames until its
 * stdin ends or the parent says shutdown; then it exits within a second, every frame flushed.
 *
 * <p>Arguments: {@code --worker <id>}, {@code --tasks <n>} (tasks at once),
 * {@code --max-frame <bytes>}, {@code --mapper <class>} (a {@code Supplier<JsonMapper>} with a public
 * no-argument constructor); the parent's nonce comes in the environment variable
 * {@code PARX_IPC_NONCE}.
 */
public final class ChildMain {

    /** How long the child lets shutdown hooks run before it halts. */
    private static final long EXIT_GRACE_MS = 800;

    private ChildMain() {
    }

    /**
     * Runs the child.
     *
     * @param args see the class comment
     */
    public static void main(String[] args) {
        StdoutGuard guard = StdoutGuard.install();
        InputStream frames = new FileInputStream(FileDescriptor.in);
        System.setIn(new ByteArrayInputStream(new byte[0]));   // the task's code must not read the parent's frames
        String worker = "child";
        int tasks = 1;
        int maxFrame = Frames.DEFAULT_MAX_FRAME;
        String mapperClass = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--worker" -> worker = args[i + 1];
                case "--tasks" -> tasks = Integer.parseInt(args[i + 1]);
                case "--max-frame" -> maxFrame = Integer.parseInt(args[i + 1]);
                case "--mapper" -> mapperClass = args[i + 1];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        ChildSession session = new ChildSession(new Wire(SharedBufferValues.child(mapper(mapperClass))), guard.frames(), tasks, worker);
        Thread.ofPlatform().daemon(true).name("parx-child-stdout")
                .start(() -> session.forwardLog(guard.captured(), "stdout"));
        String nonce = System.getenv(Frames.NONCE_VARIABLE);
        session.hello(nonce == null ? "" : nonce, guard.mode());
        int code = session.serve(frames, maxFrame);
        exit(code);
    }

    /** Exits, halting if shutdown hooks take too long: a child whose parent is gone must not linger. */
    private static void exit(int code) {
        Thread.ofPlatform().daemon(true).name("parx-child-exit").start(() -> {
            try {
                Thread.sleep(EXIT_GRACE_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().halt(code);
        });
        System.exit(code);
    }

    @SuppressWarnings("unchecked")
    static JsonMapper mapper(String className) {
        if (className == null) {
            return null;
        }
        try {
            Class<?> type = Class.forName(className, false, ChildMain.class.getClassLoader());
            if (!Supplier.class.isAssignableFrom(type) || !Modifier.isPublic(type.getModifiers())) {
                throw new IllegalArgumentException("mapper factory " + className + " must be a public Supplier<JsonMapper>");
            }
            Object mapper = ((Supplier<Object>) type.getConstructor().newInstance()).get();
            if (!(mapper instanceof JsonMapper json)) {
                throw new IllegalArgumentException("mapper factory " + className + " supplied "
                        + (mapper == null ? "null" : mapper.getClass().getName()) + ", not a JsonMapper");
            }
            return json;
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("cannot use mapper factory " + className + ": " + e, e);
        }
    }
}
