package dev.parx.process.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
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
 * when native spawning is used, with the {@code kill} program otherwise. Descendants are signalled
 * too, as a belt for processes that left the group.
 */
public final class ProcessTrees {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessTrees.class);

    /** The longest a kill waits for SIGKILLed processes to exit: one stuck in the kernel may take long. */
    private static final Duration EXIT_BOUND = Duration.ofSeconds(1);
    private static final long EXIT_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final Path PROC = Path.of("/proc");

    private static final Optional<String> SETSID = find("setsid");
    private static final Optional<String> KILL = find("kill");

    static {
        if (SETSID.isEmpty() || KILL.isEmpty()) {
            LOG.warn("setsid or kill not found in /usr/bin or /bin: parx cannot kill the background "
                    + "descendants of a command, nor guard against orphans after this JVM dies");
        }
    }

    private ProcessTrees() {
    }

    /**
     * Returns whether commands run in process groups of their own that parx can signal.
     *
     * @return true with native spawning, and on systems with {@code setsid} and {@code kill}
     */
    public static boolean grouped() {
        return NativeSpawn.available() || (SETSID.isPresent() && KILL.isPresent());
    }

    /**
     * Returns the path of the {@code kill} program.
     *
     * @return the path, if there is one
     */
    static Optional<String> killProgram() {
        return KILL;
    }

    /**
     * Returns the command line that runs {@code argv} in a new session and process group, for
     * {@link ProcessBuilder}.
     *
     * @param argv the program (absolute) and its arguments
     * @return the wrapped command line, or {@code argv} if groups are not available
     */
    static List<String> wrap(List<String> argv) {
        if (SETSID.isEmpty() || KILL.isEmpty()) {
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
        if (!Files.isDirectory(PROC)) {
            return;
        }
        Set<Long> groups = new HashSet<>();
        if (grouped()) {
            leaders.forEach(leader -> groups.add(leader.pid()));
        }
        Set<Long> known = new HashSet<>();
        Stream.concat(leaders.stream(), descendants.stream()).forEach(process -> known.add(process.pid()));
        List<Long> running = new ArrayList<>();
        try (Stream<Path> processes = Files.list(PROC)) {
            processes.forEach(dir -> {
                String name = dir.getFileName().toString();
                if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
                    long pid = Long.parseLong(name);
                    String[] stat = stat(pid);
                    if (stat != null && !exited(stat) && (known.contains(pid) || groups.contains(Long.parseLong(stat[2])))) {
                        running.add(pid);
                    }
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.debug("cannot list /proc: {}", e.toString());
            return;
        }
        long deadline = System.nanoTime() + EXIT_BOUND.toNanos();
        while (!running.isEmpty() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(EXIT_POLL_NANOS);
            running.removeIf(pid -> {
                String[] stat = stat(pid);
                return stat == null || exited(stat);
            });
        }
        if (!running.isEmpty()) {
            LOG.debug("processes {} had not exited {} after SIGKILL", running, EXIT_BOUND);
        }
    }

    /** Returns the fields of {@code /proc/<pid>/stat} after the command name, or null if it is gone. */
    private static String[] stat(long pid) {
        try {
            String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ", 4);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static boolean exited(String[] stat) {
        return stat[0].equals("Z") || stat[0].equals("X");
    }

    private static void signalGroups(List<ProcessHandle> leaders, String signal) {
        if (!grouped()) {
            return;
        }
        if (NativeSpawn.available()) {
            int number = signal.equals("KILL") ? LibC.SIGKILL : LibC.SIGTERM;
            for (ProcessHandle leader : leaders) {
                if (leader.pid() > 1) { // -1 would mean every process we may signal
                    int result = LibC.kill((int) -leader.pid(), number);
                    if (result != 0 && result != -LibC.ESRCH) {
                        LOG.debug("kill -{} -{}: {}", signal, leader.pid(), LibC.strerror(-result));
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
