package dev.parx.ipc.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parx.WorkerCrashedException;
import dev.parx.ipc.ChildMain;
import dev.parx.ipc.JvmPool;
import dev.parx.ipc.tasks.CrashTasks;
import dev.parx.ipc.tasks.JvmArgumentsTask;
import dev.parx.testkit.tasks.EchoTask;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pool's first worker starts a training run beside it; once its cache exists, the workers of a
 * pool with the same key start with {@code -XX:AOTCache}, and a task's {@code System.exit(7)} is
 * still exit code 7; a changed flag is a new key; a directory or cache file that cannot be used
 * never fails a pool.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class JvmPoolAotCacheTest {

    private static final String OPTION = "-XX:AOTCache=";

    /** The test class path with each directory made a jar: the JVM writes no cache for directories. */
    private static List<String> jars;

    @TempDir
    static Path jarDirectory;

    @TempDir
    Path dir;

    private Path cacheDirectory;
    private final List<JvmPool> pools = new ArrayList<>();

    @BeforeAll
    static void jarTheClassDirectories() throws IOException {
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (Files.isDirectory(path)) {
                Path jar = jarDirectory.resolve("classes" + n++ + ".jar");
                jar(path, jar);
                entries.add(jar.toString());
            } else {
                entries.add(entry);
            }
        }
        jars = List.copyOf(entries);
    }

    private static void jar(Path classes, Path jar) throws IOException {
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
                Stream<Path> tree = Files.walk(classes)) {
            for (Path path : tree.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(path).toString().replace(File.separatorChar, '/')));
                Files.copy(path, out);
                out.closeEntry();
            }
        }
    }

    @BeforeEach
    void aCacheDirectory() {
        cacheDirectory = dir.resolve("aot");
        AotCache.forgetTrainings();
    }

    @AfterEach
    void closePoolsAndTrainings() throws InterruptedException {
        for (JvmPool pool : pools) {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(Duration.ofSeconds(30)), pool::toString);
        }
        AotCache.awaitTrainings(Duration.ofSeconds(30));
        AotCache.forgetTrainings();
        await("no child JVM left").atMost(Duration.ofSeconds(15)).until(() -> ProcessHandle.current().descendants()
                .filter(ProcessHandle::isAlive)
                .noneMatch(p -> p.info().commandLine().orElse("").contains(ChildMain.class.getName())));
    }

    private JvmPool pool(String... options) {
        JvmPool pool = JvmPool.builder().workers(1).classpath(jars).aotCacheDirectory(cacheDirectory)
                .jvmOptions(options).build();
        pools.add(pool);
        return pool;
    }

    private static List<String> aotOptions(JvmPool pool) {
        return pool.submit(JvmArgumentsTask.class, "").join().stream().filter(a -> a.startsWith("-XX:AOT")).toList();
    }

    private List<Path> caches() throws IOException {
        try (Stream<Path> files = Files.list(cacheDirectory)) {
            return files.filter(f -> f.getFileName().toString().matches("cache[0-9a-f]+\\.aot")).toList();
        }
    }

    @Test
    void aSecondPoolWithTheSameKeyStartsFromTheCacheAnExitCodeIsKeptAndADamagedCacheIsDropped() throws Exception {
        JvmPool first = pool("-Dparx.test=aot");
        assertEquals(List.of(), aotOptions(first), "the first worker starts without a cache, and never trains");
        WorkerCrashedException besideTraining = assertThrows(WorkerCrashedException.class,
                first.submit(CrashTasks.Exit.class, 7)::join);
        assertEquals(7, besideTraining.exitCode(), besideTraining.getMessage());
        await("the training run wrote the cache").atMost(Duration.ofSeconds(90)).until(() -> caches().size() == 1);
        Path cache = caches().getFirst();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cache)));
        try (Stream<Path> files = Files.list(cacheDirectory)) {
            assertEquals(List.of(cache), files.toList(), "no file of the training is left");
        }

        JvmPool second = pool("-Dparx.test=aot");
        assertEquals(List.of(OPTION + cache), aotOptions(second));
        WorkerCrashedException exit = assertThrows(WorkerCrashedException.class,
                second.submit(CrashTasks.Exit.class, 7)::join);
        assertEquals(7, exit.exitCode(), exit.getMessage());
        assertEquals(List.of(OPTION + cache), aotOptions(second), "the replacement starts from the cache too");

        Files.writeString(cache, "damaged");
        JvmPool third = pool("-Dparx.test=aot");
        assertEquals(List.of(OPTION + cache), aotOptions(third), "started with the cache, which the JVM refused");
        assertEquals("works", third.submit(EchoTask.class, "works").join());
        await("the refused cache is deleted").atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(cache));
    }

    @Test
    void aCacheDirectoryThatCannotBeUsedDoesNotFailThePool() throws Exception {
        cacheDirectory = Files.writeString(dir.resolve("a-file"), "not a directory");
        JvmPool onAFile = pool("-Dparx.test=file");
        assertEquals(List.of(), aotOptions(onAFile));
        assertEquals("works", onAFile.submit(EchoTask.class, "works").join());

        cacheDirectory = Files.createDirectory(dir.resolve("open"));
        Files.setPosixFilePermissions(cacheDirectory, PosixFilePermissions.fromString("rwxrwxrwx"));
        JvmPool onAnOpenDirectory = pool("-Dparx.test=open");
        assertEquals(List.of(), aotOptions(onAnOpenDirectory));
        assertEquals("works", onAnOpenDirectory.submit(EchoTask.class, "works").join());
        try (Stream<Path> files = Files.list(cacheDirectory)) {
            assertEquals(0, files.count(), "nothing written to a directory others may change");
        }
    }

    @Test
    void turnedOffNoWorkerGetsAnOptionAndNothingIsTrained() throws Exception {
        JvmPool pool = JvmPool.builder().workers(1).classpath(jars).aotCache(false)
                .aotCacheDirectory(cacheDirectory).build();
        pools.add(pool);
        assertEquals(List.of(), aotOptions(pool));
        pool.close();
        assertFalse(Files.exists(cacheDirectory), "the directory was not even made");
    }
}
