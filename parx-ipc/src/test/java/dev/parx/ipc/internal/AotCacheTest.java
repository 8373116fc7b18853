package dev.parx.ipc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A changed jar or flag gets a new key; an existing cache is made owner-only and given, a link in
 * its place is not; a damaged cache only warns on stderr and is deleted once refused; a directory
 * that cannot be used gives no options. Trainings through a pool: {@link JvmPoolAotCacheTest}.
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
    void aChangedJarOrFlagGetsAnotherKey() throws Exception {
        String before = AotCache.key(JAVA, List.of(jar.toString()), FLAGS);
        assertEquals(before, AotCache.key(JAVA, List.of(jar.toString()), FLAGS));
        assertNotEquals(before, AotCache.key(JAVA, List.of(jar.toString()), List.of("-Xmx64m")));
        assertNotEquals(before, AotCache.key(JAVA, List.of(jar.toString(), dir.toString()), FLAGS));
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 60_000));
        String touched = AotCache.key(JAVA, List.of(jar.toString()), FLAGS);
        assertNotEquals(before, touched);

        AotCache cache = AotCache.of(command(FLAGS), cacheDirectory);
        assertEquals(cacheDirectory.resolve(touched + ".aot"), cache.file(), "the cache of the new key");
        assertNotEquals(cache.file(), AotCache.of(command(List.of("-Xmx64m", "-XX:+UseSerialGC", "-Dchanged=1")),
                cacheDirectory).file(), "a changed flag, a new key");
        assertEquals(List.of(), cache.options(), "no cache yet, no option");
    }

    @Test
    void anExistingCacheIsGivenOwnerOnly() throws Exception {
        AotCache cache = AotCache.of(command(FLAGS), cacheDirectory);
        Files.writeString(cache.file(), "a cache");
        Files.setPosixFilePermissions(cache.file(), PosixFilePermissions.fromString("rw-r--r--"));
        List<String> options = cache.options();
        assertEquals(AotCache.VM_OUTPUT_TO_STDERR, options.subList(0, 3));
        assertEquals("-XX:AOTCache=" + cache.file(), options.get(3));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cache.file(),
                LinkOption.NOFOLLOW_LINKS)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cacheDirectory)));
    }

    @Test
    void aLinkInPlaceOfTheCacheIsNotFollowed() throws Exception {
        AotCache cache = AotCache.of(command(FLAGS), cacheDirectory);
        Path elsewhere = Files.writeString(dir.resolve("elsewhere.aot"), "not ours to use");
        Files.createSymbolicLink(cache.file(), elsewhere);
        assertEquals(List.of(), cache.options());
    }

    @Test
    void aRefusalOnStderrDeletesTheCache() throws Exception {
        AotCache cache = AotCache.of(command(FLAGS), cacheDirectory);
        Files.writeString(cache.file(), "damaged");
        assertFalse(cache.rejectedBy("[0.1s][warning][gc] something else"));
        assertFalse(cache.rejectedBy("[0.1s][warning][aot] Skipping Foo: an error in its name"));
        assertTrue(Files.exists(cache.file()));
        assertTrue(cache.rejectedBy("[0.006s][error  ][aot] An error has occurred while processing the AOT cache."));
        assertFalse(Files.exists(cache.file()), "deleted, to be trained again");
    }

    @Test
    void anUnusableDirectoryGivesNoOptionsAndNoTraining() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
        AotCache onAFile = AotCache.of(command(FLAGS), file);
        assertEquals(List.of(), onAFile.options());
        assertNull(onAFile.train(Map.of(), List.of()));

        Path open = Files.createDirectory(dir.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        AotCache onAnOpenDirectory = AotCache.of(command(FLAGS), open);
        assertEquals(List.of(), onAnOpenDirectory.options());
        assertNull(onAnOpenDirectory.train(Map.of(), List.of()));
        try (var entries = Files.list(open)) {
            assertEquals(0, entries.count(), "nothing written to a directory others may change");
        }
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
    void aClassPathWithAClassDirectoryGetsNoCache() throws Exception {
        Path classes = Files.createDirectory(dir.resolve("classes"));
        Files.writeString(classes.resolve("A.class"), "");
        AotCache cache = AotCache.of(List.of(JAVA, "-cp", jar + java.io.File.pathSeparator + classes), cacheDirectory);
        assertNull(cache.file(), "the JVM refuses to write a cache for a non-empty directory");
        assertNull(cache.train(Map.of(), List.of()));
        assertNotNull(AotCache.of(List.of(JAVA, "-cp", jar + java.io.File.pathSeparator + dir.resolve("missing")),
                cacheDirectory).file(), "a missing entry is no obstacle");
    }

    @Test
    void optionsThatChooseTheirOwnSharingAreLeftAlone() {
        for (String own : List.of("-Xshare:off", "-XX:AOTCache=/x.aot")) {
            AotCache cache = AotCache.of(command(List.of(own)), cacheDirectory);
            assertNull(cache.file(), own);
            assertEquals(List.of(), cache.options(), own);
            assertNull(cache.train(Map.of(), List.of()), own);
        }
    }

    private List<String> command(List<String> flags) {
        List<String> command = new ArrayList<>(List.of(JAVA));
        command.addAll(flags);
        command.addAll(List.of("-cp", jar.toString()));
        return command;
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
