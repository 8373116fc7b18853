package dev.parx.process.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads Linux's {@code /proc/<pid>/stat}: whether a process runs and which process group it is in.
 * Needs only {@code java.base}, so that the {@link GuardianMain guardian process} can use it too.
 * Stateless and thread-safe.
 */
final class ProcStat {

    private static final Path PROC = Path.of("/proc");

    private ProcStat() {
    }

    /**
     * Returns whether {@code /proc} can be read here.
     *
     * @return true on Linux with {@code /proc} mounted
     */
    static boolean available() {
        return Files.isDirectory(PROC);
    }

    /**
     * Returns the fields of {@code /proc/<pid>/stat} after the command name: the state first, the
     * parent's pid second, the process group third, and the rest unsplit.
     *
     * @param pid the process
     * @return the fields, or null if there is no such process
     */
    static String[] fields(long pid) {
        try {
            String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ", 4);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Returns the session a process is in.
     *
     * @param pid the process
     * @return the session id, or -1 if there is no such process
     */
    static long session(long pid) {
        String[] fields = fields(pid);
        return fields != null ? Long.parseLong(fields[3].substring(0, fields[3].indexOf(' '))) : -1;
    }

    /**
     * Returns whether a process runs: it exists and has not exited (a zombie has).
     *
     * @param pid the process
     * @return true if it runs
     */
    static boolean running(long pid) {
        String[] fields = fields(pid);
        return fields != null && running(fields);
    }

    /**
     * Returns whether the process of these fields has not exited.
     *
     * @param fields what {@link #fields} returned
     * @return true if it runs
     */
    static boolean running(String[] fields) {
        return !fields[0].equals("Z") && !fields[0].equals("X");
    }

    /**
     * Returns the running processes that are in one of some process groups or among some pids.
     *
     * @param groups process-group ids
     * @param pids process ids
     * @return the pids of those running, empty if {@code /proc} cannot be read
     */
    static Set<Long> runningIn(Set<Long> groups, Set<Long> pids) {
        Set<Long> running = new HashSet<>();
        try (Stream<Path> processes = Files.list(PROC)) {
            processes.forEach(dir -> {
                String name = dir.getFileName().toString();
                if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
                    long pid = Long.parseLong(name);
                    String[] fields = fields(pid);
                    if (fields != null && running(fields)
                            && (pids.contains(pid) || groups.contains(Long.parseLong(fields[2])))) {
                        running.add(pid);
                    }
                }
            });
        } catch (IOException | UncheckedIOException e) {
            return Set.of();
        }
        return running;
    }
}
