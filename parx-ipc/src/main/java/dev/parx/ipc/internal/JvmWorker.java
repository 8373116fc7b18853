package dev.parx.ipc.internal;

import dev.parx.TaskFailedException;
import dev.parx.engine.Execution;
import dev.parx.engine.Worker;
import dev.parx.engine.WorkerContext;
import dev.parx.ipc.ChildMain;
import dev.parx.ipc.ProtocolException;
import dev.parx.process.Command;
import dev.parx.process.CommandResult;
import dev.parx.process.Output;
import dev.parx.process.RunningCommand;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.node.ObjectNode;

/**
 * One child JVM as a {@link Worker}: started through parx-process (so the guardian ends it if this
 * JVM dies), spoken to in frames on its stdin, heard from on its stdout by a reader thread of its
 * own. Executions are handed over as run frames and reported from the reader thread; a stop is a
 * cancel frame, then a kill after the grace; any exit, kill or protocol violation is reported as
 * the worker's death, with the exit code and the last lines of stderr.
 */
public final class JvmWorker implements Worker {

    private static final Logger LOG = LoggerFactory.getLogger(JvmWorker.class);
    private static final SecureRandom NONCES = new SecureRandom();
    private static final int STDERR_TAIL = 20;
    /** The most bytes a child may write to stdout before its hello. */
    private static final long MAX_BEFORE_HELLO = 1024 * 1024;
    /** The length of a command line past which the arguments go through an argument file. */
    private static final long LONG_COMMAND = 16 * 1024;
    /** How long closing the worker that started an AOT training waits for it to end. */
    private static final Duration TRAINING_GRACE = Duration.ofSeconds(10);

    private final WorkerContext context;
    private final ChildSpec spec;
    private final Wire wire;
    private final String nonce = HexFormat.of().formatHex(random());
    private final ArrayDeque<String> stderrTail = new ArrayDeque<>();
    private final Map<String, InFlight> inFlight = new ConcurrentHashMap<>();
    private final CompletableFuture<Long> hello = new CompletableFuture<>();
    private final Object writeLock = new Object();
    private final Object endLock = new Object();
    private RunningCommand process;
    private OutputStream stdin;
    private Thread reader;
    private AotCache.Training training;         // the AOT training this worker started, if any
    private int executed;                       // on the engine thread
    private volatile boolean gone;              // the reader saw the end of the child
    private volatile boolean closing;
    private volatile String killReason;
    private volatile String byeReason;

    private record InFlight(Execution execution, JavaType outputType) {
    }

    private JvmWorker(WorkerContext context, ChildSpec spec) {
        this.context = context;
        this.spec = spec;
        this.wire = spec.wire();
    }

    private static byte[] random() {
        byte[] bytes = new byte[16];
        NONCES.nextBytes(bytes);
        return bytes;
    }

    /**
     * Starts a child JVM and waits for its hello.
     *
     * @param context the engine's side of the worker
     * @param spec how to start it
     * @return the worker, ready
     * @throws Exception if it cannot start or says no valid hello in time; the child is gone then
     */
    public static JvmWorker start(WorkerContext context, ChildSpec spec) throws Exception {
        JvmWorker worker = new JvmWorker(context, spec);
        worker.launch();
        return worker;
    }

    private void launch() throws Exception {
        List<String> command = new ArrayList<>(spec.command());
        if (spec.aot() != null) {
            command.addAll(1, spec.aot().options());
        }
        command.add(ChildMain.class.getName());
        command.addAll(List.of("--worker", context.workerId(), "--tasks", Integer.toString(spec.tasksPerWorker()),
                "--max-frame", Integer.toString(spec.maxFrame())));
        if (spec.mapperFactory() != null) {
            command.addAll(List.of("--mapper", spec.mapperFactory()));
        }
        long started = System.nanoTime();
        Path argFile = null;
        if (command.stream().mapToLong(String::length).sum() > LONG_COMMAND) {
            // A class path of hundreds of jars: past the system's limit on a command line.
            argFile = ArgFiles.write(command.subList(1, command.size()));
            command = List.of(command.getFirst(), "@" + argFile);
        }
        try {
            spawn(command);
            awaitHello(started);
            if (spec.aot() != null) {
                training = spec.aot().train(spec.environment(), spec.mapperFactory() == null ? List.of()
                        : List.of("--mapper", spec.mapperFactory()));
            }
        } finally {
            if (argFile != null) {
                ArgFiles.delete(argFile);
            }
        }
    }

    private void spawn(List<String> command) {
        process = Command.of(command)
                .env(spec.environment())
                .env(Frames.NONCE_VARIABLE, nonce)
                .stdout(Output.raw())
                .stderr(Output.lines(this::stderrLine))
                .allowAnyExitCode()
                .killGrace(Duration.ofMillis(200))
                .spawn();
        stdin = new BufferedOutputStream(process.stdin(), 64 * 1024);
        reader = Thread.ofPlatform().daemon(true).name(context.workerId() + "-frames").start(this::read);
    }

    private void awaitHello(long started) throws Exception {
        try {
            long pid = hello.get(spec.startTimeout().toNanos(), TimeUnit.NANOSECONDS);
            LOG.debug("worker {} (pid {}) ready in {} ms", context.workerId(), pid,
                    (System.nanoTime() - started) / 1_000_000);
        } catch (TimeoutException e) {
            killReason = "it said no hello within " + spec.startTimeout();
            process.kill();
            awaitEnd();
            throw new IllegalStateException("child JVM of " + context.workerId() + " said no hello within "
                    + spec.startTimeout() + "; stderr: " + tail());
        } catch (ExecutionException e) {
            awaitEnd();
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (InterruptedException e) {
            process.kill();
            awaitEnd();
            throw e;
        }
    }

    // ---- the reader thread ----

    private void read() {
        LineReader lines = new LineReader(process.stdout(), spec.maxFrame());
        ProtocolException violation = null;
        try {
            awaitHello(lines);
            byte[] line;
            while ((line = lines.next()) != null) {
                dispatch(wire.decode(line, Frames.FROM_CHILD));
            }
        } catch (ProtocolException e) {
            violation = e;
        } catch (IOException | RuntimeException e) {
            LOG.debug("worker {}: reading its frames failed", context.workerId(), e);
        } finally {
            ended(violation);
        }
    }

    /** Ignores what the JVM writes before the child's main runs, until a hello with our nonce. */
    private void awaitHello(LineReader lines) throws IOException {
        long ignored = 0;
        byte[] line;
        while ((line = lines.next()) != null) {
            Frame frame = null;
            try {
                frame = wire.decode(line, Frames.FROM_CHILD);
            } catch (ProtocolException notAFrame) {
                // before the hello, anything may be written: ignored
            }
            if (frame != null && frame.type().equals(Frames.HELLO) && nonce.equals(frame.optionalText("nonce"))) {
                long version = frame.integer("version");
                if (version != Frames.VERSION) {
                    throw new ProtocolException("the child speaks protocol version " + version + ", this parent "
                            + Frames.VERSION + ": " + Frames.quote(line, line.length));
                }
                hello.complete(frame.integer("pid"));
                return;
            }
            LOG.debug("worker {}: ignored before its hello: {}", context.workerId(), Frames.quote(line, line.length));
            ignored += line.length + 1;
            if (ignored > MAX_BEFORE_HELLO) {
                throw new ProtocolException("the child wrote more than " + MAX_BEFORE_HELLO
                        + " bytes to stdout before its hello, the last: " + Frames.quote(line, line.length));
            }
        }
        throw new IOException("the child closed stdout before its hello");
    }

    private void dispatch(Frame frame) {
        switch (frame.type()) {
            case Frames.LOG -> childOutput(frame.text("line"));
            case Frames.PONG -> frame.integer("seq");
            case Frames.BYE -> byeReason = frame.optionalText("reason");
            case Frames.HELLO -> throw new ProtocolException("a second hello: " + Frames.quote(frame.raw(), frame.raw().length));
            default -> taskFrame(frame);
        }
    }

    private void taskFrame(Frame frame) {
        String id = frame.text("id");
        InFlight task = inFlight.get(id);
        if (task == null) {
            throw frame.wrong("the id of a task that runs in this child, not '" + id + "'");
        }
        Execution execution = task.execution();
        switch (frame.type()) {
            case Frames.RESULT -> {
                Object output;
                try {
                    output = wire.codec().decode(frame.value("value"), task.outputType());
                } catch (IllegalArgumentException e) {
                    inFlight.remove(id);
                    context.failed(execution, new TaskFailedException(id, execution.taskClass().getName(),
                            new IllegalArgumentException("the output of task " + id + ": " + e.getMessage(), e)));
                    endedOne();
                    return;
                }
                inFlight.remove(id);
                context.succeeded(execution, output);
                endedOne();
            }
            case Frames.ERROR -> {
                TaskFailedException failure = wire.failure(frame, id, execution.taskClass().getName());
                inFlight.remove(id);
                context.failed(execution, failure);
                endedOne();
            }
            case Frames.PROGRESS -> context.progress(execution, frame.number("fraction"), frame.optionalText("message"));
            case Frames.MESSAGE -> context.emitted(execution, wire.value(frame, "value"));
            default -> throw new ProtocolException("unexpected frame type " + frame.type());
        }
    }

    private void childOutput(String line) {
        try {
            spec.output().accept(context.workerId(), line);
        } catch (RuntimeException e) {
            LOG.warn("worker {}: the child output listener failed", context.workerId(), e);
        }
    }

    private void endedOne() {
        synchronized (endLock) {
            endLock.notifyAll();
        }
    }

    /** The child's stdout ended or broke: wait for its exit, then report it, unless it was closed. */
    private void ended(ProtocolException violation) {
        if (violation != null && killReason == null && !closing) {
            killReason = "protocol violation: " + violation.getMessage();
            LOG.warn("worker {}: {}", context.workerId(), violation.getMessage());
        }
        if (violation != null || killReason != null) {
            process.kill();
        }
        Integer exitCode = exitCode();
        gone = true;
        endedOne();
        String reason = killReason != null ? killReason : describe(exitCode);
        if (!hello.isDone()) {
            hello.completeExceptionally(new IllegalStateException("child JVM of " + context.workerId()
                    + " ended before its hello: " + reason + "; stderr: " + tail()));
        } else if (!closing) {
            context.died(reason, killReason != null ? null : exitCode, tail());
        }
    }

    /** Waits for the child's exit; its code, or null if it was killed by us or is unknown. */
    private Integer exitCode() {
        try {
            CommandResult result = process.onExit().get(30, TimeUnit.SECONDS);
            return result.exitCode();
        } catch (CancellationException | ExecutionException | TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private String describe(Integer code) {
        if (code == null) {
            return "its process ended";
        }
        String text;
        if (code > 128 && code < 128 + 65) {
            int signal = code - 128;
            text = "killed by signal " + signal + switch (signal) {
                case 9 -> " (SIGKILL)";
                case 15 -> " (SIGTERM)";
                case 6 -> " (SIGABRT)";
                case 11 -> " (SIGSEGV)";
                default -> "";
            };
        } else {
            text = "exited with code " + code;
        }
        if (byeReason != null) {
            text += " after refusing a frame: " + byeReason;
        }
        return text;
    }

    private void stderrLine(String line) {
        if (spec.aot() != null && !hello.isDone()) {
            spec.aot().rejectedBy(line);
        }
        synchronized (stderrTail) {
            if (stderrTail.size() == STDERR_TAIL) {
                stderrTail.removeFirst();
            }
            stderrTail.addLast(line);
        }
        LOG.info("[{} stderr] {}", context.workerId(), line);
    }

    private List<String> tail() {
        synchronized (stderrTail) {
            return List.copyOf(stderrTail);
        }
    }

    // ---- the engine's calls ----

    @Override
    public boolean stopsInPlace() {
        return true;
    }

    @Override
    public void execute(Execution execution) {
        String id = execution.taskId();
        ObjectNode run = wire.frame(Frames.RUN);
        run.put("id", id);
        run.put("task", execution.taskClass().getName());
        run.putPOJO("input", execution.input());
        byte[] bytes;
        try {
            bytes = wire.encode(run);
        } catch (JacksonException e) {
            context.failed(execution, new TaskFailedException(id, execution.taskClass().getName(),
                    new IllegalArgumentException("the input of task " + id + " cannot be written as JSON: "
                            + e.getOriginalMessage(), e)));
            return;
        }
        inFlight.put(id, new InFlight(execution, wire.codec().outputType(execution.taskClass())));
        write(bytes);
        context.forwardMessages(execution, message -> sendMessage(id, message));
        if (spec.maxTasksPerWorker() > 0 && ++executed == spec.maxTasksPerWorker()) {
            // Its tasks in flight finish here; then the engine closes it and starts its replacement.
            context.retire("served " + executed + " tasks (maxTasksPerWorker)");
        }
    }

    private void sendMessage(String id, Object message) {
        ObjectNode frame = wire.frame(Frames.MESSAGE);
        frame.put("id", id);
        frame.putPOJO("value", message);
        byte[] bytes;
        try {
            bytes = wire.encode(frame);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("a " + message.getClass().getName() + " sent to task " + id
                    + " cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
        if (inFlight.containsKey(id)) {
            write(bytes);
        }
    }

    private void write(byte[] frame) {
        synchronized (writeLock) {
            try {
                stdin.write(frame);
                stdin.flush();
            } catch (IOException e) {
                // The child is gone or going: the reader reports how.
                LOG.debug("worker {}: writing a frame failed", context.workerId(), e);
                process.kill();
            }
        }
    }

    @Override
    public void stop(Execution execution, boolean interrupt) {
        String id = execution.taskId();
        InFlight task = inFlight.get(id);
        if (task == null || task.execution() != execution) {
            return;
        }
        ObjectNode cancel = wire.frame(Frames.CANCEL);
        cancel.put("id", id);
        cancel.put("interrupt", interrupt);
        write(wire.encode(cancel));
        Duration grace = spec.cancelGrace();
        CompletableFuture.delayedExecutor(grace.toNanos(), TimeUnit.NANOSECONDS).execute(() -> {
            InFlight still = inFlight.get(id);
            if (still != null && still.execution() == execution && !gone) {
                killReason = "task " + id + " did not stop within " + grace + " of its cancel, so its child JVM was killed";
                LOG.warn("worker {}: {}", context.workerId(), killReason);
                process.kill();
            }
        });
    }

    @Override
    public void close() {
        closing = true;
        if (!gone && process.isAlive()) {
            synchronized (writeLock) {
                try {
                    stdin.write(wire.encode(wire.frame(Frames.SHUTDOWN)));
                    stdin.close();
                } catch (IOException e) {
                    LOG.debug("worker {}: the shutdown frame was not written", context.workerId(), e);
                }
            }
            try {
                process.onExit().get(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException | CancellationException e) {
                LOG.debug("worker {} did not exit after its shutdown frame: killed", context.workerId());
            }
        }
        awaitEnd();
        if (training != null) {
            training.finish(TRAINING_GRACE);    // else a short-lived pool would never leave a cache
        }
    }

    /** Kills the child if it still runs and waits for it and the reader thread to end. */
    private void awaitEnd() {
        if (process.isAlive()) {
            process.kill();
        }
        try {
            process.onExit().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | CancellationException e) {
            // killed, or already reported
        }
        try {
            if (!reader.join(Duration.ofSeconds(10))) {
                LOG.warn("the frame reader of worker {} did not end", context.workerId());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "JvmWorker[" + context.workerId() + ", pid " + (process == null ? "?" : process.pid()) + "]";
    }
}
