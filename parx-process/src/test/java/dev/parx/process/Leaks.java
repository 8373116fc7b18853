package dev.parx.process;

import static org.awaitility.Awaitility.await;

import dev.parx.process.internal.Guardian;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** What tests use to prove that nothing a test started is left behind. */
final class Leaks {

    private Leaks() {
    }

    /** Whether a process exists and is not a zombie. */
    static boolean alive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }

    /** The processes this JVM started that are still running, the guardian excepted. */
    static Set<Long> children() {
        ProcessHandle guardian = Guardian.handle();
        return ProcessHandle.current().descendants()
                .filter(p -> guardian == null || p.pid() != guardian.pid())
                .filter(p -> alive(p.pid()))
                .map(ProcessHandle::pid)
                .collect(Collectors.toSet());
    }

    /** Processes whose process group is one of these. */
    static Set<Long> membersOf(Collection<Long> groups) {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.map(p -> p.getFileName().toString())
                    .filter(name -> name.chars().allMatch(Character::isDigit))
                    .map(Long::parseLong)
                    .filter(pid -> {
                        try {
                            String stat = Files.readString(Path.of("/proc", pid.toString(), "stat"));
                            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                            return !fields[0].equals("Z") && groups.contains(Long.parseLong(fields[2]));
                        } catch (IOException | RuntimeException e) {
                            return false;
                        }
                    })
                    .collect(Collectors.toSet());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until none of these processes runs. */
    static void awaitGone(Collection<Long> pids) {
        await().atMost(Duration.ofSeconds(20)).until(() -> pids.stream().noneMatch(Leaks::alive));
    }

    /** Waits until this JVM has no running child but the guardian; for {@code @AfterEach}. */
    static void awaitNoChildren() {
        await().atMost(Duration.ofSeconds(20)).until(() -> children().isEmpty());
    }

    /** The number of open file descriptors of this JVM. */
    static int openFds() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return (int) fds.count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Pids printed one per line. */
    static List<Long> pids(String text) {
        return text.lines().map(String::strip).filter(s -> !s.isEmpty()).map(Long::parseLong).toList();
    }
}
