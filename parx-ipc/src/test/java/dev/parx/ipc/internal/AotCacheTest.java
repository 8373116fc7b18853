package dev.parx.ipc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first worker trains a cache, the next ones get it and the JVM takes it without a word; a
 * changed jar gets a new cache; nothing the JVM says about caches reaches stdout.
 */
@Timeout(120)
class AotCacheTest {

    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private static final List<String> FLAGS = List.of("-Xmx64m", "-XX:+UseSerialGC");

    @TempDir
    Path dir;

    private Path cacheDirectory;
    private Path jar;
    private final List<Process> children = new ArrayList<>();

    @BeforeEach
    void makeAJarAndACacheDirectory() throws IOException {
        cacheDirectory = AotCache.directory(dir.resolve("xdg").toString(), dir.toString());
        jar = dir.resolve("echo.jar");
        writeJar(jar);
    }

    @AfterEach
    void killChildren() throws InterruptedException {
        for (Process child : children) {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theFirstWorkerTrainsAndTheNextOnesGetACacheTheJvmAccepts() throws Exception {
        List<String> training = options();
        assertEquals(AotCache.VM_OUTPUT_TO_STDERR, training.subList(0, 3));
        assertTrue(training.get(3).startsWith("-XX:AOTCacheOutput=" + cacheDirectory), training.toString());
        assertEquals(List.of(), options(), "while the first worker trains, the others start without");

        Run trained = run(training);
        assertEquals(List.of("from " + ArgEcho.escape(jar.toString()), "entries 1", "arg hi"), trained.stdout(),
                "no training message on stdout: " + trained);

        List<String> cached = options();
        assertEquals(AotCache.VM_OUTPUT_TO_STDERR, cached.subList(0, 3));
        assertTrue(cached.get(3).startsWith("-XX:AOTCache=" + cacheDirectory), cached.toString());
        Path cache = Path.of(cached.get(3).substring("-XX:AOTCache=".length()));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cache, LinkOption.NOFOLLOW_LINKS)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cacheDirectory)));

        List<String> strict = new ArrayList<>(cached);
        strict.add("-XX:AOTMode=on");   // a cache the JVM cannot use is now an error
        Run used = run(strict);
        assertEquals(trained.stdout(), used.stdout());
        assertEquals("", used.stderr(), "the JVM took the cache without a warning");
        assertEquals(cached, options(), "the cache is kept");
    }

    @Test
    void aChangedJarOrFlagGetsAnotherKey() throws Exception {
        String before = AotCache.key(JAVA, List.of(jar.toString()), FLAGS);
        assertEquals(before, AotCache.key(JAVA, List.of(jar.toString()), FLAGS));
        assertNotEquals(before, AotCache.key(JAVA, List.of(jar.toString()), List.of("-Xmx64m")));
        assertNotEquals(before, AotCache.key(JAVA, List.of(jar.toString(), dir.toString()), FLAGS));
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 60_000));
        String touched = AotCache.key(JAVA, List.of(jar.toString()), FLAGS);
        assertNotEquals(before, touched);

        List<String> first = options();
        assertTrue(first.get(3).contains(touched), "a new training for the new key: " + first);
    }

    @Test
    void aCacheThatCannotBeMappedOnlyWarnsOnStderr() throws Exception {
        Path broken = Files.writeString(cacheDirectory.resolve("broken.aot"), "not a cache");
        List<String> options = new ArrayList<>(AotCache.VM_OUTPUT_TO_STDERR);
        options.add("-XX:AOTCache=" + broken);
        Run run = run(options);
        assertEquals(List.of("from " + ArgEcho.escape(jar.toString()), "entries 1", "arg hi"), run.stdout());
        assertTrue(run.stderr().contains("aot"), run.stderr());
    }

    @Test
    void optionsThatChooseTheirOwnSharingAreLeftAlone() {
        assertEquals(List.of(), AotCache.options(JAVA, List.of(jar.toString()), List.of("-Xshare:off"), cacheDirectory));
        assertEquals(List.of(), AotCache.options(JAVA, List.of(jar.toString()), List.of("-XX:AOTCache=/x.aot"),
                cacheDirectory));
    }

    private List<String> options() {
        return AotCache.options(JAVA, List.of(jar.toString()), FLAGS, cacheDirectory);
    }

    private record Run(List<String> stdout, String stderr) {
    }

    private Run run(List<String> aotOptions) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(JAVA));
        command.addAll(aotOptions);
        command.addAll(FLAGS);
        command.addAll(List.of("-cp", jar.toString(), ArgEcho.class.getName(), "hi"));
        Path stderr = Files.createTempFile(dir, "stderr", ".txt");
        Process child = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        children.add(child);
        String stdout = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the JVM ended");
        Run run = new Run(stdout.lines().toList(), Files.readString(stderr));
        assertEquals(0, child.exitValue(), run.toString());
        return run;
    }

    private static void writeJar(Path jar) throws IOException {
        String name = ArgEcho.class.getName().replace('.', '/') + ".class";
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
                var in = ArgEcho.class.getResourceAsStream(ArgEcho.class.getSimpleName() + ".class")) {
            out.putNextEntry(new JarEntry(name));
            out.write(in.readAllBytes());
            out.closeEntry();
        }
    }
}
