package dev.parx.ipc;

import dev.parx.ipc.internal.ChildSession;
import dev.parx.ipc.internal.Frames;
import dev.parx.ipc.internal.SharedBufferValues;
import dev.parx.ipc.internal.StdoutGuard;
import dev.parx.ipc.internal.WarmUpTask;
import dev.parx.ipc.internal.Wire;
import java.io.ByteArrayInputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

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
 *
 * <p>With {@code --train} first (and at most {@code --mapper} after it), the child is the training
 * run of an AOT cache ({@code -XX:AOTCacheOutput}): it says hello, runs a built-in warm-up task a
 * few times through its own session, as a worker would, and exits with 0, so that the JVM writes
 * the cache of what a worker loads. It reads nothing from stdin.
 */
public final class ChildMain {

    /** How long the child lets shutdown hooks run before it halts. */
    private static final long EXIT_GRACE_MS = 800;
    /** How long an exiting child waits for what was printed to be forwarded. */
    private static final long FORWARD_AT_EXIT_MS = 200;
    /** How many warm-up tasks a training run runs. */
    private static final int WARM_UP_ROUNDS = 20;

    private ChildMain() {
    }

    /**
     * Runs the child.
     *
     * @param args see the class comment
     */
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("--train")) {
            train(args.length == 3 && args[1].equals("--mapper") ? args[2] : null);
            return;
        }
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
        Thread forwarder = Thread.ofPlatform().daemon(true).name("parx-child-stdout")
                .start(() -> session.forwardLog(guard.captured(), "stdout"));
        String nonce = System.getenv(Frames.NONCE_VARIABLE);
        session.hello(nonce == null ? "" : nonce, guard.mode());
        int code = session.serve(frames, maxFrame);
        // What was printed reaches the parent before the exit; and no thread is left in a read,
        // which the JVM's exit would wait for.
        guard.release();
        try {
            forwarder.join(FORWARD_AT_EXIT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        exit(code);
    }

    /** Runs the warm-up of an AOT training run and exits with 0, without a halt: the JVM writes the cache as it exits. */
    private static void train(String mapperClass) {
        StdoutGuard guard = StdoutGuard.install();
        System.setIn(new ByteArrayInputStream(new byte[0]));
        Wire wire = new Wire(mapper(mapperClass));
        Semaphore results = new Semaphore(0);
        byte[] resultType = ("\"" + Frames.RESULT + "\"").getBytes(StandardCharsets.UTF_8);
        OutputStream frames = new FilterOutputStream(guard.frames()) {
            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                out.write(bytes, offset, length);
                if (new String(bytes, offset, length, StandardCharsets.UTF_8)
                        .contains(new String(resultType, StandardCharsets.UTF_8))) {
                    results.release();
                }
            }
        };
        ChildSession session = new ChildSession(wire, frames, 1, "aot-training");
        Thread.ofPlatform().daemon(true).name("parx-child-stdout")
                .start(() -> session.forwardLog(guard.captured(), "stdout"));
        session.hello("", guard.mode());
        try (PipedOutputStream parent = new PipedOutputStream();
                PipedInputStream in = new PipedInputStream(parent, 64 * 1024)) {
            Thread server = Thread.ofPlatform().daemon(true).name("parx-aot-training")
                    .start(() -> session.serve(in, Frames.DEFAULT_MAX_FRAME));
            for (int i = 0; i < WARM_UP_ROUNDS; i++) {
                ObjectNode run = wire.frame(Frames.RUN);
                run.put("id", "warm-up-" + i);
                run.put("task", WarmUpTask.class.getName());
                run.putPOJO("input", List.of("parx", "aot", Integer.toString(i)));
                parent.write(wire.encode(run));
                parent.flush();
                if (!results.tryAcquire(10, TimeUnit.SECONDS)) {
                    System.err.println("parx child: the AOT warm-up task did not answer");
                    System.exit(1);
                }
            }
            parent.write(wire.encode(wire.frame(Frames.SHUTDOWN)));
            parent.flush();
            server.join(10_000);
        } catch (IOException | InterruptedException e) {
            System.err.println("parx child: the AOT warm-up failed: " + e);
            System.exit(1);
        }
        System.exit(0);
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
