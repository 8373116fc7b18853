package dev.parx.ipc.internal;

import dev.parx.Task;
import dev.parx.TaskContext;
import dev.parx.engine.TaskClasses;
import dev.parx.json.TaskCodec;
import dev.parx.ipc.ProtocolException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The child's side of the wire: reads the parent's frames, runs tasks (several at once up to its
 * capacity), and writes their frames back, each one flushed as it is written. One thread reads;
 * tasks run on threads of their own; frames are written by whichever thread has one, one at a time.
 */
public final class ChildSession {

    /** The exit code of a child that received a frame it could not accept. */
    public static final int PROTOCOL_VIOLATION_EXIT = 65;
    private static final int MAX_LOG_LINE = 64 * 1024;

    private final Wire wire;
    private final TaskCodec codec;
    private final OutputStream out;
    private final int capacity;
    private final String workerId;
    private final ClassLoader loader;
    private final ExecutorService threads;
    private final Map<String, Running> running = new ConcurrentHashMap<>();

    /**
     * Creates a session.
     *
     * @param wire the wire, with the same mapper as the parent's
     * @param out where frames go: the real stdout
     * @param capacity how many tasks may run at once
     * @param workerId the parent's id of this worker, for {@code TaskContext.workerId()}
     */
    public ChildSession(Wire wire, OutputStream out, int capacity, String workerId) {
        this.wire = Objects.requireNonNull(wire, "wire");
        this.codec = wire.codec();
        this.out = Objects.requireNonNull(out, "out");
        if (capacity < 1) {
            throw new IllegalArgumentException("a child runs at least one task at a time, was " + capacity);
        }
        this.capacity = capacity;
        this.workerId = Objects.requireNonNull(workerId, "workerId");
        this.loader = Thread.currentThread().getContextClassLoader() != null
                ? Thread.currentThread().getContextClassLoader() : ChildSession.class.getClassLoader();
        AtomicInteger numbers = new AtomicInteger();
        this.threads = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                r -> Thread.ofPlatform().daemon(true).name("parx-task-" + numbers.incrementAndGet()).unstarted(r));
    }

    /**
     * Sends the hello frame.
     *
     * @param nonce the nonce the parent handed this child
     * @param stdoutMode how stdout is kept, from {@link StdoutGuard#mode()}
     */
    public void hello(String nonce, String stdoutMode) {
        ObjectNode hello = wire.frame(Frames.HELLO);
        hello.put("version", Frames.VERSION);
        hello.put("nonce", nonce);
        hello.put("pid", ProcessHandle.current().pid());
        ObjectNode capabilities = hello.putObject("capabilities");
        capabilities.put("stdout", stdoutMode);
        capabilities.put("tasks", capacity);
        capabilities.put("java", Runtime.version().toString());
        send(hello);
    }

    /**
     * Reads and handles the parent's frames until its stdin ends or it says shutdown.
     *
     * @param in the parent's frames
     * @param maxFrame the most bytes of one frame
     * @return the exit code for the child: 0, or {@link #PROTOCOL_VIOLATION_EXIT}
     */
    public int serve(InputStream in, int maxFrame) {
        LineReader lines = new LineReader(in, maxFrame);
        try {
            byte[] line;
            while ((line = lines.next()) != null) {
                Frame frame = wire.decode(line, Frames.FROM_PARENT);
                if (!handle(frame)) {
                    return 0;
                }
            }
            return 0;
        } catch (ProtocolException e) {
            System.err.println("parx child: protocol violation from the parent: " + e.getMessage());
            ObjectNode bye = wire.frame(Frames.BYE);
            bye.put("reason", e.getMessage());
            trySend(bye);
            return PROTOCOL_VIOLATION_EXIT;
        } catch (IOException e) {
            return 0;   // stdin is gone: so is the parent
        } finally {
            threads.shutdownNow();
        }
    }

    /** Handles one frame; false if it was the last. */
    private boolean handle(Frame frame) {
        switch (frame.type()) {
            case Frames.RUN -> run(frame);
            case Frames.CANCEL -> {
                Running task = running.get(frame.text("id"));
                if (task != null) {         // else it ended already
                    task.cancel(frame.flag("interrupt"));
                }
            }
            case Frames.MESSAGE -> {
                Running task = running.get(frame.text("id"));
                if (task != null) {
                    task.inbox.add(frame.value("value"));
                }
            }
            case Frames.PING -> {
                ObjectNode pong = wire.frame(Frames.PONG);
                pong.put("seq", frame.integer("seq"));
                send(pong);
            }
            case Frames.SHUTDOWN -> {
                send(wire.frame(Frames.BYE));
                return false;
            }
            default -> throw new ProtocolException("unexpected frame type " + frame.type());
        }
        return true;
    }

    private void run(Frame frame) {
        String id = frame.text("id");
        String className = frame.text("task");
        if (running.size() >= capacity) {
            throw new ProtocolException("a run frame came while " + capacity + " tasks were running (the most "
                    + "this child runs at once): " + Frames.quote(frame.raw(), frame.raw().length));
        }
        Class<?> taskClass;
        Object input;
        SharedBufferValues.Joined buffers = new SharedBufferValues.Joined();
        try {
            taskClass = codec.taskClass(className, loader);
            Class<?> task = taskClass;
            input = SharedBufferValues.collecting(buffers,
                    () -> codec.decode(frame.value("input"), codec.inputType(task)));
        } catch (IllegalArgumentException refused) {
            buffers.close();
            fail(id, refused);
            return;
        }
        Running task = new Running(id, taskClass, input, buffers);
        if (running.putIfAbsent(id, task) != null) {
            buffers.close();
            throw new ProtocolException("a run frame reuses the id of a running task: "
                    + Frames.quote(frame.raw(), frame.raw().length));
        }
        threads.execute(task::run);
    }

    private void fail(String id, Throwable failure) {
        ObjectNode error = wire.frame(Frames.ERROR);
        error.put("id", id);
        error.set("error", codec.encodeFailure(failure));
        send(error);
    }

    /**
     * Writes one frame and flushes it.
     *
     * @param frame the frame
     * @throws JacksonException if a value in it cannot be written as JSON; nothing was written
     * @throws UncheckedIOException if stdout is gone
     */
    public void send(ObjectNode frame) {
        write(wire.encode(frame));
    }

    private void write(byte[] bytes) {
        synchronized (out) {
            try {
                out.write(bytes);
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("the parent's end of stdout is gone", e);
            }
        }
    }

    private void trySend(ObjectNode frame) {
        try {
            send(frame);
        } catch (RuntimeException ignored) {
            // The parent learns from the exit code.
        }
    }

    /**
     * Forwards what the child's code writes to its stdout as log frames, line by line, until the
     * stream ends. Runs on the calling thread.
     *
     * @param captured the captured stdout
     * @param stream the stream's name in the frames
     */
    public void forwardLog(InputStream captured, String stream) {
        byte[] buffer = new byte[MAX_LOG_LINE];
        int length = 0;
        try {
            int b;
            while ((b = captured.read()) >= 0) {
                if (b == '\n' || length == buffer.length) {
                    log(stream, buffer, length);
                    length = 0;
                    if (b == '\n') {
                        continue;
                    }
                }
                buffer[length++] = (byte) b;
            }
            if (length > 0) {
                log(stream, buffer, length);
            }
        } catch (IOException | UncheckedIOException e) {
            // The child is exiting.
        }
    }

    private void log(String stream, byte[] buffer, int length) {
        ObjectNode log = wire.frame(Frames.LOG);
        log.put("stream", stream);
        log.put("line", new String(buffer, 0, length, StandardCharsets.UTF_8));
        send(log);
    }

    /** A task that runs in this child. */
    private final class Running implements TaskContext {
        final String id;
        final Class<?> taskClass;
        final Object input;
        /** The shared buffers mapped for this task: unmapped when it ends, before its end is reported. */
        final SharedBufferValues.Joined buffers;
        final BlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
        volatile boolean cancelled;
        private volatile boolean ended;
        // guarded by this: the thread, while the task runs on it, and whether a cancel asked to interrupt it
        private Thread thread;
        private boolean interruptRequested;

        Running(String id, Class<?> taskClass, Object input, SharedBufferValues.Joined buffers) {
            this.id = id;
            this.taskClass = taskClass;
            this.input = input;
            this.buffers = buffers;
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        void run() {
            synchronized (this) {
                thread = Thread.currentThread();
                if (interruptRequested) {
                    thread.interrupt();
                }
            }
            byte[] end;
            try {
                Task task = TaskClasses.instantiate((Class) taskClass);
                Object output = task.run(input, this);
                ObjectNode result = wire.frame(Frames.RESULT);
                result.put("id", id);
                result.putPOJO("value", output);
                end = encoded(result);
            } catch (Throwable failure) {
                end = wire.encode(errorFrame(failure));
            } finally {
                synchronized (this) {
                    thread = null;
                    Thread.interrupted();   // a cancel that came late must not reach the next task
                }
                ended = true;
                buffers.close();   // the output, written above, was the last use of the task's mappings
            }
            running.remove(id);
            write(end);
        }

        /** The frame's bytes if its value can be written; else those of an error frame that says why. */
        private byte[] encoded(ObjectNode frame) {
            try {
                return wire.encode(frame);
            } catch (JacksonException e) {
                return wire.encode(errorFrame(new IllegalArgumentException("the output of task " + id
                        + " cannot be written as JSON: " + e.getOriginalMessage(), e)));
            }
        }

        private ObjectNode errorFrame(Throwable failure) {
            ObjectNode error = wire.frame(Frames.ERROR);
            error.put("id", id);
            error.set("error", codec.encodeFailure(failure));
            return error;
        }

        synchronized void cancel(boolean interrupt) {
            cancelled = true;
            if (interrupt) {
                interruptRequested = true;
                if (thread != null) {
                    thread.interrupt();
                }
            }
        }

        @Override
        public String taskId() {
            return id;
        }

        @Override
        public String workerId() {
            return workerId;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public void checkCancelled() {
            if (cancelled) {
                throw new CancellationException("task " + id + " was cancelled");
            }
        }

        @Override
        public void progress(double fraction, String message) {
            if (ended) {
                return;
            }
            ObjectNode progress = wire.frame(Frames.PROGRESS);
            progress.put("id", id);
            progress.put("fraction", fraction);
            progress.put("message", message);
            send(progress);
        }

        @Override
        public void emit(Object message) {
            Objects.requireNonNull(message, "message");
            if (ended) {
                return;
            }
            ObjectNode frame = wire.frame(Frames.MESSAGE);
            frame.put("id", id);
            frame.putPOJO("value", message);
            try {
                send(frame);
            } catch (JacksonException e) {
                throw new IllegalArgumentException("task " + id + " emitted a " + message.getClass().getName()
                        + " that cannot be written as JSON: " + e.getOriginalMessage(), e);
            }
        }

        @Override
        public <T> T receive(Class<T> type, Duration timeout) throws InterruptedException {
            Objects.requireNonNull(type, "type");
            JsonNode message = inbox.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (message == null) {
                return null;
            }
            try {
                return type.cast(SharedBufferValues.collecting(buffers,
                        () -> codec.decode(message, codec.type(type))));
            } catch (IllegalArgumentException e) {
                throw new ClassCastException("task " + id + " expected a message of type " + type.getName()
                        + " but the next message does not decode as one: " + e.getMessage());
            }
        }
    }
}
