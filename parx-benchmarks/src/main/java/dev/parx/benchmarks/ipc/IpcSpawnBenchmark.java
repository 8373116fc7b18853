package dev.parx.benchmarks.ipc;

import dev.parx.ipc.JvmPool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Spawn-to-ready of one worker: a JvmPool with one prestarted worker is built, answers a no-op
 * (so its child said hello and ran a task) and is closed, its child gone; beside
 * {@code java -cp <dir> Hello} from start to exit, in the same run. parx with its defaults (Serial
 * GC, the AOT cache, trained in the trial's setup), without the AOT cache, and with C1 only
 * ({@code -XX:TieredStopAtLevel=1}) on top of the defaults.
 */
@State(Scope.Benchmark)
public class IpcSpawnBenchmark {

    /** The variant. */
    @Param({"parx", "parx-noaot", "parx-c1", "java Hello"})
    public String impl;

    private Path directory;
    private List<String> classpath;
    private List<String> hello;

    /**
     * Writes the jars and Hello, and trains the AOT cache of the variant.
     *
     * @throws IOException if the directory cannot be made
     * @throws InterruptedException if interrupted
     */
    @Setup(Level.Trial)
    public void prepare() throws IOException, InterruptedException {
        directory = Files.createTempDirectory("parx-spawn-bench");
        classpath = IpcSupport.jarredClasspath(directory);
        Path helloDirectory = Files.createDirectory(directory.resolve("hello"));
        hello = List.of(IpcSupport.JAVA, "-cp", helloDirectory.toString(), IpcSupport.writeHello(helloDirectory));
        if (!impl.equals("parx-noaot") && impl.startsWith("parx")) {
            for (int i = 0; i < 30 && !cacheExists(); i++) {
                IpcSupport.close(IpcSupport.started(builder(), classpath));   // closing waits for the training
            }
            if (!cacheExists()) {
                throw new IllegalStateException("no AOT cache was trained in " + directory.resolve("aot"));
            }
        }
    }

    private boolean cacheExists() throws IOException {
        Path aot = directory.resolve("aot");
        if (!Files.isDirectory(aot)) {
            return false;
        }
        try (Stream<Path> files = Files.list(aot)) {
            return files.anyMatch(f -> f.getFileName().toString().matches("cache[0-9a-f]+\\.aot"));
        }
    }

    private JvmPool.Builder builder() {
        JvmPool.Builder builder = JvmPool.builder().name("spawn").workers(1).prestart(1);
        return switch (impl) {
            case "parx-noaot" -> builder.aotCache(false);
            case "parx-c1" -> builder.aotCacheDirectory(directory.resolve("aot")).jvmOptions("-XX:TieredStopAtLevel=1");
            default -> builder.aotCacheDirectory(directory.resolve("aot"));
        };
    }

    /** Deletes the jars and the cache. */
    @TearDown(Level.Trial)
    public void clean() {
        IpcSupport.delete(directory);
    }

    /**
     * One worker from nothing to its first answer, then gone; or Hello from start to exit.
     *
     * @return the exit code or the answer
     * @throws Exception if the start fails
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public Object spawnToReady() throws Exception {
        if (impl.equals("java Hello")) {
            Process process = new ProcessBuilder(hello).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor();
        }
        JvmPool pool = IpcSupport.started(builder(), classpath);
        IpcSupport.close(pool);
        return pool;
    }
}
