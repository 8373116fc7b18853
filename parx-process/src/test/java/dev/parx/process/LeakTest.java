package dev.parx.process;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parx.process.internal.Guardian;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Many short commands leave no file descriptor, thread or zombie behind. */
class LeakTest {

    private int fdsBefore;
    private java.util.Set<Thread> threadsBefore;

    @BeforeEach
    void baseline() {
        Guardian.handle(); // the guardian's pipe is opened once per JVM: not a leak
        Command.of("true").exec(); // so is the JDK's process reaper thread
        await().atMost(Duration.ofSeconds(30)).until(() -> ioThreads() == 0);
        fdsBefore = Leaks.openFds();
        threadsBefore = Thread.getAllStackTraces().keySet();
    }

    @AfterEach
    void nothingLeaked() {
        Leaks.awaitNoChildren();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(0, zombies(), "zombie children"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(fdsBefore, Leaks.openFds(), "open fds"));
        // parx's I/O threads stop a few seconds after their last use.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertEquals(0, ioThreads(), "I/O threads"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(List.of(), extraThreads()));
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void sequentialCommands() {
        sequential(200);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void concurrentCommands() {
        concurrent(100);
    }

    @Test
    @Tag("stress")
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void tenThousandSequentialCommands() {
        sequential(10_000);
    }

    @Test
    @Tag("stress")
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void thousandConcurrentCommands() {
        concurrent(1_000);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void failedStartsLeakNothing() {
        for (int i = 0; i < 50; i++) {
            int n = i;
            org.junit.jupiter.api.Assertions.assertThrows(CommandStartException.class,
                    () -> Command.of("parx-missing-" + n).exec());
            org.junit.jupiter.api.Assertions.assertThrows(CommandStartException.class,
                    () -> Command.of("true").directory(Path.of("/nonexistent-" + n)).exec());
            org.junit.jupiter.api.Assertions.assertThrows(CommandStartException.class,
                    () -> Command.of("/tmp").exec());
        }
    }

    private static void sequential(int count) {
        for (int i = 0; i < count; i++) {
            assertEquals(Integer.toString(i), Command.of("echo", Integer.toString(i)).exec().stdoutTrimmed());
        }
    }

    private static void concurrent(int count) {
        List<CompletableFuture<CommandResult>> runs = IntStream.range(0, count)
                .mapToObj(i -> Command.of("echo", Integer.toString(i)).execAsync())
                .toList();
        for (int i = 0; i < count; i++) {
            assertEquals(Integer.toString(i), runs.get(i).join().stdoutTrimmed());
        }
    }

    private static long ioThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("parx-process-"))
                .count();
    }

    /** Threads started since the baseline, except the JDK's own pools, which idle out on their own schedule. */
    private List<String> extraThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(t -> !threadsBefore.contains(t))
                .map(Thread::getName)
                .filter(name -> !name.startsWith("process reaper") && !name.startsWith("ForkJoinPool")
                        && !name.startsWith("awaitility") && !name.startsWith("junit"))
                .toList();
    }

    private static long zombies() {
        String self = Long.toString(ProcessHandle.current().pid());
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(p -> {
                        try {
                            String stat = Files.readString(p.resolve("stat"));
                            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                            return fields[0].equals("Z") && fields[1].equals(self);
                        } catch (IOException e) {
                            return false;
                        }
                    })
                    .count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
