package dev.parx.process.internal;

import dev.parx.process.OutputLimitExceededException;
import dev.parx.ParxException;
import dev.parx.process.ProcessFailedException;
import dev.parx.process.CommandResult;
import dev.parx.process.CommandTimeoutException;
import dev.parx.process.Output;
import dev.parx.process.RunningCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a command or a pipeline: its processes, the pumps that drain their streams, its
 * timeout and its ending.
 *
 * <p>Life cycle: {@link #start} launches every stage and one {@link Pump} per stream that parx
 * reads; the run completes when every process exited and every pump reached end-of-file or, on a
 * pipe that a process left running holds open, was idle for {@link #PIPE_GRACE} after the exit.
 * Whatever ends it early (timeout, output limit, a throwing callback, {@code kill()}, cancel) wins
 * a single compare-and-set on {@link #ending}, which both decides the outcome and makes the kill
 * happen once. The kill runs on an I/O thread; the kernel closing the pipes then ends the pumps.
 */
public final class Execution implements RunningCommand {

    private static final Logger LOG = LoggerFactory.getLogger(Execution.class);
    private static final int STDOUT_BUFFER = 64 * 1024; // a Linux pipe's capacity
    private static final int STDERR_BUFFER = 8 * 1024;
    /**
     * How long after the exit of a command's processes a pump waits, without reading anything, on
     * a pipe that another process holds open, before the run stops waiting for it; checked again
     * at the same interval while the pipe still delivers.
     */
    private static final Duration PIPE_GRACE = Duration.ofMillis(100);

    private enum Ending { NONE, NORMAL, TIMEOUT, LIMIT, CALLBACK, KILLED }

    private final List<Spec> stages;
    private final Spec last;
    private final List<String> command;
    private final List<Process> processes;
    private final List<ProcessHandle> leaders;
    private final boolean register;
    private final long startNanos = System.nanoTime();
    private final CompletableFuture<CommandResult> result = new CompletableFuture<>();
    private final AtomicReference<Ending> ending = new AtomicReference<>(Ending.NONE);
    private final Sink stdoutSink;
    private final List<Sink> stderrSinks = new ArrayList<>();
    private final boolean stdinPipe;
    private final CompletableFuture<Void> killed = new CompletableFuture<>();
    private final CompletableFuture<Void> exited = new CompletableFuture<>();
    private volatile Throwable callbackFailure;
    private volatile long limitHit;
    private volatile ScheduledFuture<?> timer;
    private Writer writer; // guarded by this

    private Execution(List<Spec> stages, List<Process> processes, boolean stdinPipe) {
        this.stages = stages;
        this.last = stages.getLast();
        this.command = Launcher.displayCommand(stages);
        this.processes = processes;
        this.leaders = processes.stream().map(Process::toHandle).toList();
        this.register = !stages.getFirst().detached;
        this.stdinPipe = stdinPipe;
        this.stdoutSink = Sink.of(last.stdout, last.charset, last.maxOutput);
    }

    /**
     * Starts a command or pipeline.
     *
     * @param stages the stages, one for a plain command
     * @param spawn true for {@code spawn()} (stdin defaults to a pipe the caller writes)
     * @return the running execution
     * @throws CommandStartException if a program or directory is unusable or the start failed
     */
    public static Execution start(List<Spec> stages, boolean spawn) {
        Spec first = stages.getFirst();
        Spec last = stages.getLast();
        if (!spawn && (last.stdout instanceof Output.Raw || stages.stream().anyMatch(s -> s.stderr instanceof Output.Raw))) {
            throw new IllegalArgumentException("Output.raw() is only for spawn(): exec() must read every stream itself");
        }
        Input stdin = first.stdin != null ? first.stdin : spawn ? new Input.Pipe() : new Input.Empty();
        List<Process> processes = Launcher.launch(stages, stdin);
        Execution execution = new Execution(stages, processes, stdin instanceof Input.Pipe);
        execution.begin(stdin);
        return execution;
    }

    private void begin(Input stdin) {
        if (register) {
            leaders.forEach(leader -> Guardian.register(leader.pid()));
        }
        List<Pump> pumps = new ArrayList<>();
        if (stdoutSink != null) {
            pumps.add(pump(processes.getLast(), processes.getLast().getInputStream(), stdoutSink, STDOUT_BUFFER));
        }
        for (int i = 0; i < stages.size(); i++) {
            Spec spec = stages.get(i);
            Sink sink = spec.mergeStderr ? null : Sink.of(spec.stderr, spec.charset, spec.maxOutput);
            stderrSinks.add(sink);
            if (sink != null) {
                pumps.add(pump(processes.get(i), processes.get(i).getErrorStream(), sink, STDERR_BUFFER));
            }
        }
        awaitExits();
        feed(stdin, processes.getFirst().getOutputStream());
        Duration timeout = stages.stream().map(s -> s.timeout).filter(t -> t != null).min(Duration::compareTo).orElse(null);
        if (timeout != null) {
            timer = IoThreads.timer().schedule(() -> end(Ending.TIMEOUT, last.killGrace),
                    timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        result.whenComplete((value, failure) -> {
            if (result.isCancelled()) {
                end(Ending.KILLED, last.killGrace);
            }
        });
        CompletableFuture<Void> drained = CompletableFuture.allOf(pumps.stream().map(Pump::done)
                .toArray(CompletableFuture[]::new));
        // Once every process exited, a pipe that stays open is held by a process the command left
        // running (a background job): its output is not waited for past the grace.
        exited.whenComplete((v, f) -> {
            if (!drained.isDone()) {
                pumps.forEach(Pump::mark);
                releaseIdlePumps(pumps, drained);
            }
        });
        CompletableFuture.allOf(exited, drained).whenComplete((v, f) -> {
            // An early ending completes the run only once its kill is over, so that a caller
            // who sees the failure knows that the whole tree is gone.
            boolean normal = ending.compareAndSet(Ending.NONE, Ending.NORMAL);
            if (normal && register) {
                leaders.forEach(leader -> Guardian.leaderExited(leader.pid()));
            }
            if (normal) {
                complete(timeout);
            } else {
                killed.whenComplete((x, y) -> complete(timeout));
            }
        });
    }

    /**
     * Completes {@link #exited} once every process exited. Natively spawned processes tell it on
     * their reaper threads, and an I/O thread takes over, so that completing the run (callbacks,
     * the caller's dependent stages) never holds up a reaper. For the JDK's processes an I/O
     * thread waits, rather than Process.onExit(): that one completes on the common ForkJoinPool,
     * which may be busy or tiny (one thread on two cores), and a blocked common pool must not
     * stall every command.
     */
    private void awaitExits() {
        if (processes.stream().allMatch(p -> p instanceof NativeProcess)) {
            CompletableFuture.allOf(processes.stream().map(p -> ((NativeProcess) p).exitCode())
                    .toArray(CompletableFuture[]::new))
                    .whenCompleteAsync((v, f) -> exited.complete(null), IoThreads.io());
            return;
        }
        IoThreads.io().execute(() -> {
            try {
                for (Process process : processes) {
                    process.waitFor();
                }
                exited.complete(null);
            } catch (InterruptedException e) {
                exited.completeExceptionally(e);
            }
        });
    }

    private Pump pump(Process process, InputStream in, Sink sink, int bufferSize) {
        IntSupplier buffered = process instanceof NativeProcess n ? () -> n.buffered(in) : () -> -1;
        return new Pump(in, sink, buffered).start(bufferSize, new Pump.Failures() {
            @Override
            public void limitReached() {
                limitHit = last.maxOutput;
                end(Ending.LIMIT, Duration.ZERO);
            }

            @Override
            public void callbackFailed(Throwable failure) {
                callbackFailure = failure;
                end(Ending.CALLBACK, Duration.ZERO);
            }
        });
    }

    /** Every {@link #PIPE_GRACE} after the exit, until the pumps are done, lets idle ones go. */
    private void releaseIdlePumps(List<Pump> pumps, CompletableFuture<Void> drained) {
        IoThreads.timer().schedule(() -> IoThreads.io().execute(() -> {
            boolean all = true;
            for (Pump pump : pumps) {
                all &= pump.releaseIfIdle();
            }
            if (!all && !drained.isDone()) {
                releaseIdlePumps(pumps, drained);
            }
        }), PIPE_GRACE.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void feed(Input stdin, OutputStream pipe) {
        switch (stdin) {
            case Input.Empty empty -> closeQuietly(pipe);
            case Input.FromFile file -> closeQuietly(pipe);
            case Input.Pipe p -> { }
            case Input.Text(var text) -> write(pipe, text.getBytes(stages.getFirst().charset), null);
            case Input.Bytes(var bytes) -> write(pipe, bytes, null);
            case Input.FromStream(var stream) -> write(pipe, null, stream);
        }
    }

    private void write(OutputStream pipe, byte[] bytes, InputStream source) {
        IoThreads.io().execute(() -> {
            try (pipe) {
                if (bytes != null) {
                    pipe.write(bytes);
                } else {
                    try (source) {
                        source.transferTo(pipe);
                    }
                }
            } catch (IOException e) {
                // Usually a broken pipe: the command exited without reading all of its stdin.
                LOG.debug("writing stdin of {} ended: {}", command, e.toString());
            }
        });
    }

    /**
     * Ends the run early, once: the first caller decides the outcome and starts the kill.
     *
     * @param why the outcome
     * @param grace the time between SIGTERM and SIGKILL
     */
    private void end(Ending why, Duration grace) {
        if (!ending.compareAndSet(Ending.NONE, why)) {
            return;
        }
        IoThreads.io().execute(() -> {
            try {
                ProcessTrees.kill(leaders, exited, grace);
                if (register) {
                    leaders.forEach(leader -> Guardian.released(leader.pid()));
                }
            } finally {
                killed.complete(null);
            }
        });
    }

    private void complete(Duration timeout) {
        ScheduledFuture<?> pending = timer;
        if (pending != null) {
            pending.cancel(false);
        }
        finishSink(stdoutSink);
        stderrSinks.forEach(this::finishSink);
        synchronized (this) {
            if (writer != null) {
                try {
                    writer.close();
                } catch (IOException e) {
                    LOG.debug("closing stdin of {}: {}", command, e.toString());
                }
            }
        }
        closeQuietly(processes.getFirst().getOutputStream());
        try {
            result.complete(outcome(timeout));
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
    }

    private void finishSink(Sink sink) {
        if (sink == null) {
            return;
        }
        try {
            sink.finish();
        } catch (Sink.LimitReached e) {
            limitHit = last.maxOutput;
            ending.compareAndSet(Ending.NORMAL, Ending.LIMIT);
        } catch (RuntimeException | Error e) {
            callbackFailure = e;
            ending.compareAndSet(Ending.NORMAL, Ending.CALLBACK);
        }
    }

    private CommandResult outcome(Duration timeout) {
        Sink lastErr = stderrSinks.getLast();
        List<String> tail = lastErr != null ? lastErr.tail() : stdoutSink != null ? stdoutSink.tail() : List.of();
        switch (ending.get()) {
            case TIMEOUT -> throw new CommandTimeoutException(command, timeout, tail);
            case LIMIT -> throw new OutputLimitExceededException(command, limitHit);
            case KILLED -> throw new CancellationException("command " + command + " was killed");
            case CALLBACK -> throw new ParxException("an output callback of command " + command + " threw",
                    callbackFailure);
            default -> { }
        }
        for (int i = 0; i < stages.size(); i++) {
            Spec spec = stages.get(i);
            int code = processes.get(i).exitValue();
            // A stage before the last may die of SIGPIPE when a later one stops reading (`| head`).
            boolean brokenPipe = i < stages.size() - 1 && code == 128 + 13;
            if (!spec.allows(code) && !brokenPipe) {
                Sink err = stderrSinks.get(i);
                throw new ProcessFailedException(spec.command, code, err != null ? err.tail() : tail);
            }
        }
        StringBuilder stderr = new StringBuilder();
        for (Sink sink : stderrSinks) {
            if (sink != null) {
                stderr.append(sink.text());
            }
        }
        return new CommandResult(command, pid(), processes.getLast().exitValue(),
                stdoutSink != null ? stdoutSink.bytes() : new byte[0], stderr.toString(), last.charset,
                Duration.ofNanos(System.nanoTime() - startNanos));
    }

    /**
     * Waits for the run as {@code exec()} does: an interrupt kills the command.
     *
     * @return the result
     */
    public CommandResult await() {
        try {
            return waitFor();
        } catch (InterruptedException e) {
            end(Ending.KILLED, Duration.ZERO);
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for " + command + "; it was killed");
        }
    }

    // ---- RunningCommand ----

    @Override
    public long pid() {
        return processes.getLast().pid();
    }

    @Override
    public List<String> command() {
        return command;
    }

    @Override
    public OutputStream stdin() {
        if (!stdinPipe) {
            throw new IllegalStateException("the stdin of " + command + " was set when it was built");
        }
        return processes.getFirst().getOutputStream();
    }

    @Override
    public synchronized Writer stdinWriter() {
        if (writer == null) {
            writer = new OutputStreamWriter(stdin(), stages.getFirst().charset);
        }
        return writer;
    }

    @Override
    public InputStream stdout() {
        if (!(last.stdout instanceof Output.Raw)) {
            throw new IllegalStateException("the stdout of " + command + " is not Output.raw()");
        }
        return processes.getLast().getInputStream();
    }

    @Override
    public InputStream stderr() {
        if (!(last.stderr instanceof Output.Raw) || last.mergeStderr) {
            throw new IllegalStateException("the stderr of " + command + " is not Output.raw()");
        }
        return processes.getLast().getErrorStream();
    }

    @Override
    public CompletableFuture<CommandResult> onExit() {
        // A copy for each caller: completing one must not change what waitFor() and others see.
        CompletableFuture<CommandResult> copy = new CompletableFuture<>();
        result.whenComplete((value, failure) -> {
            if (failure == null) {
                copy.complete(value);
            } else {
                copy.completeExceptionally(failure);
            }
        });
        copy.whenComplete((value, failure) -> {
            if (copy.isCancelled()) {
                kill();
            }
        });
        return copy;
    }

    @Override
    public boolean isAlive() {
        return processes.stream().anyMatch(Process::isAlive);
    }

    @Override
    public void kill() {
        end(Ending.KILLED, last.killGrace);
    }

    @Override
    public CommandResult waitFor() throws InterruptedException {
        try {
            return result.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new ParxException("command " + command + " failed", e.getCause());
        }
    }

    @Override
    public String toString() {
        return "RunningCommand[pid=" + pid() + ", " + command + ", " + (isAlive() ? "alive" : "exited") + "]";
    }

    private static void closeQuietly(OutputStream stream) {
        try {
            stream.close();
        } catch (IOException e) {
            LOG.debug("closing a command's stdin: {}", e.toString());
        }
    }
}
