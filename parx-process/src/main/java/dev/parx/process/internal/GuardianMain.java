package dev.parx.process.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * The guardian process: a small JVM, one per parx JVM, that ends that JVM's commands once it is
 * gone. {@link Guardian} starts it and writes to its stdin, one line per event:
 * <ul>
 *   <li>{@code + pgid}: a command's process group started;</li>
 *   <li>{@code p pid}: a command started that leads no group of its own (no way to make one);</li>
 *   <li>{@code - id}: the group or process is gone (it was killed), forget it;</li>
 *   <li>{@code ? pgid}: the group's leader exited by itself; members may remain in the background.</li>
 * </ul>
 * When the parx JVM dies the kernel closes the pipe, after the guardian read whatever was already
 * written (even if it was still starting). At end-of-file it sends SIGTERM to every group and
 * process still registered, waits at most {@link #GRACE_MILLIS} for them to exit, sends SIGKILL to
 * what is left, and exits.
 *
 * <p>It needs nothing but {@code java.base}, {@link Signals} and {@link ProcStat}, so that it also
 * runs from a copy of its classes (the argument {@code --delete} names that copy's directory, which
 * it deletes once its classes are loaded). With native access it signals groups with
 * {@code kill(2)} and makes itself the leader of a new session if it does not lead one already.
 * Without native access it signals the members of each group that it finds in {@code /proc}, and
 * the descendants of every registered process, through {@link ProcessHandle}.
 *
 * <p>Groups reported with {@code ?} are checked in batches and forgotten once empty, which keeps the
 * set small and makes the reuse of a group id by an unrelated process practically impossible.
 */
public final class GuardianMain {

    /** How long the registered processes have between SIGTERM and SIGKILL. */
    static final long GRACE_MILLIS = 1000;
    /** How many {@code ?} lines are collected before the groups they name are checked. */
    private static final int SWEEP_BATCH = 256;
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final Set<Long> groups = new HashSet<>();
    private final Set<Long> processes = new HashSet<>();
    private final Set<Long> maybeEmpty = new HashSet<>();
    private final boolean nativeCalls = Signals.available();

    private GuardianMain() {
    }

    /**
     * Runs the guardian until its stdin reaches end-of-file.
     *
     * @param args nothing, or {@code --delete} and the directory of the class files to delete
     * @throws IOException if stdin cannot be read
     */
    public static void main(String[] args) throws IOException {
        GuardianMain guardian = new GuardianMain();
        guardian.detach();
        if (args.length == 2 && args[0].equals("--delete")) {
            // Every class this program needs is loaded now; the copy of the class files can go.
            Class<?>[] loaded = {ProcStat.class, Signals.class};
            deleteClassFiles(Path.of(args[1]));
        }
        guardian.read(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII)));
        guardian.end();
    }

    /**
     * Makes the guardian lead a session of its own if it was started without one (through
     * {@code ProcessBuilder} where no {@code setsid} program was found): then a terminal's hang-up
     * or Ctrl-C, which reach the terminal's foreground process group, and signals to the parx JVM's
     * process group no longer reach it.
     */
    private void detach() {
        long self = ProcessHandle.current().pid();
        if (nativeCalls && (!ProcStat.available() || ProcStat.session(self) != self)) {
            Signals.newSession();
        }
    }

    private static void deleteClassFiles(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path path : files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | RuntimeException e) {
            // The parx JVM deletes it when it exits normally; a leftover copy is harmless.
        }
    }

    private void read(BufferedReader in) throws IOException {
        int unchecked = 0;
        String line;
        while ((line = in.readLine()) != null) {
            if (line.length() < 3 || line.charAt(1) != ' ') {
                continue;
            }
            long id;
            try {
                id = Long.parseLong(line, 2, line.length(), 10);
            } catch (NumberFormatException e) {
                continue;
            }
            if (id <= 1) {
                continue; // -1 and 0 would signal every process we may, or our own group
            }
            switch (line.charAt(0)) {
                case '+' -> groups.add(id);
                case 'p' -> processes.add(id);
                case '-' -> {
                    groups.remove(id);
                    processes.remove(id);
                    maybeEmpty.remove(id);
                }
                case '?' -> {
                    if (groups.contains(id) && maybeEmpty.add(id) && ++unchecked >= SWEEP_BATCH) {
                        forgetEmptyGroups();
                        unchecked = 0;
                    }
                }
                default -> { }
            }
        }
    }

    private void forgetEmptyGroups() {
        Set<Long> occupied = nativeCalls ? null : ProcStat.available() ? groupsWithMembers() : Set.copyOf(maybeEmpty);
        for (Long group : Set.copyOf(maybeEmpty)) {
            boolean empty = occupied == null ? Signals.kill(-group, 0) == -Signals.ESRCH : !occupied.contains(group);
            if (empty) {
                groups.remove(group);
                maybeEmpty.remove(group);
            }
        }
    }

    private Set<Long> groupsWithMembers() {
        Set<Long> occupied = new HashSet<>();
        for (long pid : ProcStat.runningIn(maybeEmpty, Set.of())) {
            String[] fields = ProcStat.fields(pid);
            if (fields != null) {
                occupied.add(Long.parseLong(fields[2]));
            }
        }
        return occupied;
    }

    /** Ends everything still registered: SIGTERM, a grace for it to exit, SIGKILL. */
    private void end() {
        if (groups.isEmpty() && processes.isEmpty()) {
            return;
        }
        // Taken before any signal: a process that exits takes its links to its children with it.
        Set<ProcessHandle> others = new HashSet<>();
        Set<Long> roots = new HashSet<>(processes);
        roots.addAll(groups);
        if (!nativeCalls) {
            roots.addAll(ProcStat.runningIn(groups, Set.of()));
        }
        for (long pid : roots) {
            ProcessHandle.of(pid).ifPresent(process -> {
                others.add(process);
                process.descendants().forEach(others::add);
            });
        }
        others.remove(ProcessHandle.current());
        signal(others, Signals.SIGTERM);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GRACE_MILLIS);
        while (System.nanoTime() < deadline && anyRunning(others)) {
            LockSupport.parkNanos(POLL_NANOS);
        }
        signal(others, Signals.SIGKILL);
    }

    private void signal(Set<ProcessHandle> others, int signal) {
        if (nativeCalls) {
            for (long group : groups) {
                Signals.kill(-group, signal);
            }
        }
        for (ProcessHandle process : others) {
            if (signal == Signals.SIGKILL) {
                process.destroyForcibly();
            } else {
                process.destroy();
            }
        }
    }

    private boolean anyRunning(Set<ProcessHandle> others) {
        if (nativeCalls) {
            for (long group : groups) {
                if (Signals.kill(-group, 0) == 0) {
                    return true;
                }
            }
        }
        return others.stream().anyMatch(ProcessHandle::isAlive);
    }
}
