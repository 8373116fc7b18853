package dev.parx.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.parx.process.internal.Launcher;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How a JVM starts commands: with posix_spawn where it can, through ProcessBuilder and setsid
 * otherwise, and never with a warning on the console.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SpawnModeTest {

    private static final boolean SUPPORTED_PLATFORM = System.getProperty("os.name").equals("Linux")
            && List.of("amd64", "x86_64", "aarch64").contains(System.getProperty("os.arch"));
    private static final boolean FALLBACK_CHOSEN = "jdk".equals(System.getProperty("parx.process.spawn"));

    @AfterEach
    void nothingLeftRunning() {
        Leaks.awaitNoChildren();
    }

    @Test
    void commandsStartWithPosixSpawnOnLinuxUnlessTheFallbackIsChosen() {
        // The test JVM runs with --enable-native-access=ALL-UNNAMED.
        assertEquals(SUPPORTED_PLATFORM && !FALLBACK_CHOSEN, Launcher.nativeSpawn());
    }

    @Test
    void aJvmWithoutNativeAccessFallsBackWithoutAWarning() {
        CommandResult child = Command.of(ChildJvm.commandLine(List.of(), SpawnModeMain.class)).exec();
        assertEquals("jdk", child.stdout().lines().findFirst().orElseThrow());
        assertTrue(child.stdout().contains("SigBlk:"), child.stdout());
        assertFalse(child.stderr().contains("WARNING"), child.stderr());
    }

    @Test
    void aJvmWithNativeAccessUsesPosixSpawnWithoutAWarning() {
        CommandResult child = Command.of(ChildJvm.commandLine(List.of(ChildJvm.NATIVE_ACCESS), SpawnModeMain.class))
                .exec();
        assertEquals(SUPPORTED_PLATFORM && !FALLBACK_CHOSEN ? "native" : "jdk",
                child.stdout().lines().findFirst().orElseThrow());
        assertFalse(child.stderr().contains("WARNING"), child.stderr());
    }

    @Test
    void signalsTheJvmIgnoresAreNotIgnoredByItsCommands() {
        assumeTrue(Launcher.nativeSpawn(), "ProcessBuilder passes ignored signals on");
        // A shell's "trap ''" makes signals ignored across exec: the child JVM starts with them ignored.
        List<String> command = new ArrayList<>(List.of("sh", "-c", "trap '' HUP INT QUIT PIPE TERM USR1; exec \"$@\"", "sh"));
        command.addAll(ChildJvm.commandLine(List.of(ChildJvm.NATIVE_ACCESS), SpawnModeMain.class));
        List<String> lines = Command.of(command).exec().stdout().lines().toList();
        assertEquals("native", lines.getFirst());
        assertEquals(List.of("SigBlk:\t0000000000000000", "SigIgn:\t0000000000000000"),
                lines.subList(1, lines.size()).stream().map(SpawnModeTest::withoutGlibcSignals).toList());
    }

    /** Clears signals 32 and 33 (bits 31 and 32), which glibc keeps for itself, from a SigBlk/SigIgn line. */
    private static String withoutGlibcSignals(String line) {
        String[] parts = line.split("\t");
        long bits = Long.parseUnsignedLong(parts[1].strip(), 16) & ~0x1_8000_0000L;
        return parts[0] + "\t" + String.format("%016x", bits);
    }
}
