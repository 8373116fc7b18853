package dev.parx.ipc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parx.engine.PrivateFiles;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Argument files carry any argument to a real JVM unchanged, and stay their owner's. */
class ArgFilesTest {

    private static final List<String> AWKWARD = List.of("two words", "back\\slash\\", "C:\\dir\\", "\"quoted\"",
            "it's", "", "tab\there", "new\nline", "cr\rlf", "# not a comment", "@not-a-file", "\\u00e9 stays text",
            "  padded  ");

    @TempDir
    Path dir;

    private Process child;

    @AfterEach
    void killChild() throws InterruptedException {
        if (child != null) {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @Timeout(120)
    void aClasspathOf200EntriesWithSpacesAndANonAsciiNameStartsAJvm() throws Exception {
        List<String> classpath = new ArrayList<>();
        for (int i = 0; i < 199; i++) {
            classpath.add(Files.createDirectory(dir.resolve("entry " + i + " with spaces")).toString());
        }
        Path home = dir.resolve("caf\u00e9 \u2713 \u65e5\u672c");
        Path classFile = home.resolve(ArgEcho.class.getName().replace('.', '/') + ".class");
        Files.createDirectories(classFile.getParent());
        try (var in = ArgEcho.class.getResourceAsStream(ArgEcho.class.getSimpleName() + ".class")) {
            Files.write(classFile, in.readAllBytes());
        }
        classpath.add(home.toString());

        List<String> args = new ArrayList<>(List.of("-cp", String.join(File.pathSeparator, classpath),
                ArgEcho.class.getName()));
        args.addAll(AWKWARD);
        args.add("caf\u00e9");
        List<String> lines = runJava(ArgFiles.write(args, PrivateFiles.directory(dir, "private")), "C.UTF-8");

        assertEquals("from " + ArgEcho.escape(home.toString()), lines.get(0));
        assertEquals("entries 200", lines.get(1));
        List<String> expected = new ArrayList<>(AWKWARD);
        expected.add("caf\u00e9");
        assertEquals(expected.stream().map(arg -> "arg " + ArgEcho.escape(arg)).toList(), lines.subList(2, lines.size()));
    }

    @Test
    @Timeout(120)
    void asciiArgumentsNeedNoLocale() throws Exception {
        Path classes = Path.of(ArgEcho.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> args = new ArrayList<>(List.of("-cp", classes.toString(), ArgEcho.class.getName()));
        args.addAll(AWKWARD);
        List<String> lines = runJava(ArgFiles.write(args, PrivateFiles.directory(dir, "private")), null);

        assertEquals(AWKWARD.stream().map(arg -> "arg " + ArgEcho.escape(arg)).toList(), lines.subList(2, lines.size()));
    }

    @Test
    void theFileIsItsOwnersAloneInThePrivateDirectoryAndDeletedOnRequest() throws IOException {
        Path file = ArgFiles.write(List.of("-version"));
        try {
            assertEquals(PrivateFiles.userDirectory(), file.getParent());
            assertEquals("rw-------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS)));
            assertEquals("\"-version\"\n", Files.readString(file, StandardCharsets.UTF_8));
        } finally {
            ArgFiles.delete(file);
        }
        assertFalse(Files.exists(file));
        ArgFiles.delete(file);   // twice is fine
    }

    @Test
    void filesOfDeadProcessesAreDeletedByTheNextWrite() throws IOException {
        Path directory = PrivateFiles.directory(dir, "private");
        Path orphan = Files.writeString(directory.resolve("java-args-" + Integer.MAX_VALUE + "-x.txt"), "x");
        Path file = ArgFiles.write(List.of("-version"), directory);
        assertFalse(Files.exists(orphan));
        assertTrue(Files.exists(file));
    }

    @Test
    void aNulCharacterIsRefusedWithTheReason() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> ArgFiles.render(List.of("a\0b")));
        assertTrue(error.getMessage().contains("NUL character"), error.getMessage());
    }

    private List<String> runJava(Path argFile, String lang) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + argFile);
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.equals("LANG") || name.startsWith("LC_"));
        if (lang != null) {
            environment.put("LANG", lang);
        }
        Path stderr = dir.resolve("stderr");
        child = builder.redirectError(stderr.toFile()).start();
        String stdout = new String(child.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the JVM ended");
        assertEquals(0, child.exitValue(), stdout + Files.readString(stderr));
        return stdout.lines().toList();
    }
}
