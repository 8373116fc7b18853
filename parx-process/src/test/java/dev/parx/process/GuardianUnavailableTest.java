package dev.parx.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Where no guardian can run (here: a runtime without a {@code java} launcher), a command that it
 * should protect does not start silently unprotected: it fails, unless the user opted in.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GuardianUnavailableTest {

    private Path runtime;
    /** The JVM option that gives the child that runtime as its java.home. */
    private String noLauncher;

    /**
     * A runtime without bin/java, as a jlink image made with --strip-native-commands: this JDK's
     * other directories, linked (JUnit's TempDir would warn about deleting links).
     */
    @BeforeEach
    void runtimeWithoutLauncher() throws IOException {
        runtime = Files.createTempDirectory("parx-runtime-");
        Path home = Path.of(System.getProperty("java.home"));
        try (Stream<Path> entries = Files.list(home)) {
            for (Path entry : entries.filter(e -> !e.getFileName().toString().equals("bin")).toList()) {
                Files.createSymbolicLink(runtime.resolve(entry.getFileName()), entry);
            }
        }
        noLauncher = "-Djava.home=" + runtime;
    }

    @AfterEach
    void nothingLeftRunning() throws IOException {
        Leaks.awaitNoChildren();
        try (Stream<Path> links = Files.list(runtime)) {
            for (Path link : links.toList()) {
                Files.delete(link);
            }
        }
        Files.delete(runtime);
    }

    @Test
    void anUnprotectedCommandFailsToStartAndSaysWhyAndHowToOptOut() {
        CommandResult child = Command.of(ChildJvm.commandLine(List.of(ChildJvm.NATIVE_ACCESS, noLauncher),
                UnprotectedMain.class)).exec();
        List<String> lines = child.stdout().lines().toList();
        assertEquals(3, lines.size(), child.stdout() + child.stderr());
        for (String refusal : lines.subList(0, 2)) {
            assertTrue(refusal.startsWith("refused: cannot start command [/bin/true]"), refusal);
            assertTrue(refusal.contains("no java launcher"), refusal);
            assertTrue(refusal.contains("-Dparx.process.unprotected=true"), refusal);
            assertTrue(refusal.contains("detached()"), refusal);
        }
        assertEquals("detached ran 0", lines.get(2), "a detached command needs no guardian");
    }

    @Test
    void withTheOptInCommandsRunAndOneWarningSaysThatTheyAreUnprotected() {
        CommandResult child = Command.of(ChildJvm.commandLine(
                List.of(ChildJvm.NATIVE_ACCESS, noLauncher, "-Dparx.process.unprotected=true"),
                UnprotectedMain.class)).exec();
        assertEquals(List.of("ran 0", "ran 0", "detached ran 0"), child.stdout().lines().toList(), child.stderr());
        List<String> warnings = child.stderr().lines().filter(line -> line.contains("WARN")).toList();
        assertEquals(1, warnings.size(), child.stderr());
        assertTrue(warnings.getFirst().contains("unprotected") && warnings.getFirst().contains("no java launcher"),
                warnings.getFirst());
    }
}
