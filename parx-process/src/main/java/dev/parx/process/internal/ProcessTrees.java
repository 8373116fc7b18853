package dev.parx.process.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts commands in process groups of their own and ends whole trees.
 *
 * <p>Why groups: {@link ProcessHandle#descendants()} sees only processes still linked to their
 * parent; a grandchild whose parent already exited is re-parented and invisible. Every process a
 * command starts stays in the command's process group unless it leaves on purpose, so signalling
 * the group reaches them all. Each command leads a new session, so its pid is its process-group
 * id: {@link NativeSpawn} asks {@code posix_spawn} for it, and, where that is not used, the command
 * is started through {@code setsid}, which calls {@code setsid(2)} and then executes the program in
 * place (the JDK cannot put a child in a new group). Groups are signalled with {@code kill(2)}
 * where this JVM may call native code ({@link Signals}), with the {@code kill} program otherwise.
 * Descendants are signalled too, as a belt for processes that left the group. Programs parx runs
 * itself ({@code setsid}, {@code kill}) are found in {@code /usr/bin} or {@code /bin}, never on
 * {@code PATH}, so that an unusual {@code PATH} cannot change what runs.
 */
public final class ProcessTrees {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessTrees.class);

    /** The longest a kill waits for SIGKILLed processes to exit: one stuck in the kernel may take long. */
    private static final Duration EXIT_BOUND = Duration.ofSeconds(1);
    private static final long EXIT_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private static final Optional<String> SETSID = find("setsid");
    private static final Optional<String> KILL = find("kill");

    /** Whether groups, once made, can be signalled: with kill(2), or the kill program. */
    private static final boolean SIGNALLABLE = Signals.available() || KILL.isPresent();

    static {
        if (!NativeSpawn.available() && (SETSID.isEmpty() || !SIGNALLABLE)) {
            LOG.warn("setsid or kill not found in /usr/bin or /bin: parx cannot kill the background "
                    + "descendants of a command that left it, in this JVM's life or after it");
        }
    }

    private ProcessTrees() {
    }

    /**
     * Returns whether commands run in process groups of their own that parx can signal.
     *
     * @return true with native spawning, and on systems with {@code setsid} and either native
     *     access or {@code kill}
     */
    public static boolean grouped() {
        return NativeSpawn.available() || (SETSID.isPresent() && SIGNALLABLE);
    }

    /**
     * Returns the command line that runs {@code argv} in a new session and process group, for
     * {@link ProcessBuilder}.
     *
     * @param argv the program (absolute) and its arguments
     * @return the wrapped command line, or {@code argv} if groups are not available
     */
    static List<String> wrap(List<String> argv) {
        if (SETSID.isEmpty() || !SIGNALLABLE) {
            return argv;
        }
        List<String> wrapped = new ArrayList<>(argv.size() + 1);
        wrapped.add(SETSID.get());
        wrapped.addAll(argv);
        return wrapped;
    }

    /**
     * Ends the trees of some processes: the polite signal to every group and descendant, up to
     * {@code grace} for the leaders to exit, then the forced signal to all of them, and a moment
     * (a second at most) for them to exit. Blocks for at most about {@code grace} plus that
     * second; call it on an I/O thread.
     *
     * @param leaders the commands' processes, each the leader of its group if {@link #grouped()}
     * @param exited completes when every leader exited
     * @param grace how long to wait between the signals; zero kills at once
     */
    static void kill(List<ProcessHandle> leaders, CompletableFuture<?> exited, Duration grace) {
        List<ProcessHandle> descendants = leaders.stream().flatMap(ProcessHandle::descendants).toList();
        if (!grace.isZero() && !grace.isNegative()) {
            signalGroups(leaders, "TERM");
            Stream.concat(leaders.stream(), descendants.stream()).forEach(ProcessHandle::destroy);
            try {
                exited.get(grace.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                LOG.debug("{} did not exit within {} of SIGTERM; sending SIGKILL", leaders, grace);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // Always signal the groups, even when the leader is gone: background members may remain.
        signalGroups(leaders, "KILL");
        Stream.concat(leaders.stream(), descendants.stream()).forEach(ProcessHandle::destroyForcibly);
        awaitGone(leaders, descendants);
    }

    /**
     * Waits, for at most {@link #EXIT_BOUND}, until the killed processes have exited. SIGKILL is
     * delivered at once but a process takes a moment to exit, and a run that reports its kill must
     * mean that its processes are gone. Members of the groups that left no trace in
     * {@code descendants} (re-parented background processes) are found in {@code /proc}; on
     * systems without it this returns at once.
     */
    private static void awaitGone(List<ProcessHandle> leaders, List<ProcessHandle> descendants) {
        if (!ProcStat.available()) {
            return;
        }
        Set<Long> groups = new HashSet<>();
        if (grouped()) {
            leaders.forEach(leader -> groups.add(leader.pid()));
        }
        Set<Long> known = new HashSet<>();
        Stream.concat(leaders.stream(), descendants.stream()).forEach(process -> known.add(process.pid()));
        List<Long> running = new ArrayList<>(ProcStat.runningIn(groups, known));
        long deadline = System.nanoTime() + EXIT_BOUND.toNanos();
        while (!running.isEmpty() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(EXIT_POLL_NANOS);
            running.removeIf(pid -> !ProcStat.running(pid));
        }
        if (!running.isEmpty()) {
            LOG.debug("processes {} had not exited {} after SIGKILL", running, EXIT_BOUND);
        }
    }

    private static void signalGroups(List<ProcessHandle> leaders, String signal) {
        if (!grouped()) {
            return;
        }
        if (Signals.available()) {
            int number = signal.equals("KILL") ? Signals.SIGKILL : Signals.SIGTERM;
            for (ProcessHandle leader : leaders) {
                if (leader.pid() > 1) { // -1 would mean every process we may signal
                    int result = Signals.kill(-leader.pid(), number);
                    if (result != 0 && result != -Signals.ESRCH) {
                        LOG.debug("kill -{} -{}: error {}", signal, leader.pid(), -result);
                    }
                }
            }
            return;
        }
        List<String> command = new ArrayList<>(List.of(KILL.get(), "-s", signal, "--"));
        for (ProcessHandle leader : leaders) {
            if (leader.pid() > 1) { // -1 would mean every process we may signal
                command.add("-" + leader.pid());
            }
        }
        if (command.size() == 4) {
            return;
        }
        try {
            Process kill = new ProcessBuilder(command)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            kill.waitFor();
        } catch (IOException e) {
            LOG.warn("could not run {}: {}", command, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Optional<String> find(String program) {
        for (String dir : List.of("/usr/bin", "/bin")) {
            Path path = Path.of(dir, program);
            if (Files.isExecutable(path)) {
                return Optional.of(path.toString());
            }
        }
        return Optional.empty();
    }
}
