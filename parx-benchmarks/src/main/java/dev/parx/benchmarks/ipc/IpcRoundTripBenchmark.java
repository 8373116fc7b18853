package dev.parx.benchmarks.ipc;

import dev.parx.TaskHandle;
import dev.parx.ipc.JvmPool;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A no-op task through a JvmPool of one warm worker beside the limit: a raw newline echo over the
 * same kind of pipes, between this JVM and a child JVM started with {@code ProcessBuilder} (a line
 * written and flushed, a line read back). The round trip waits for each answer (p50 of the
 * samples); throughput keeps {@value #WINDOW} in flight ({@code tasksPerWorker(64)} for parx, a
 * window of as many lines for the echo), for {@value #BATCH} messages per operation.
 */
@State(Scope.Benchmark)
public class IpcRoundTripBenchmark {

    static final int BATCH = 1000;
    static final int WINDOW = 64;

    /** parx's JvmPool, or the raw echo. */
    @Param({"parx", "raw-echo"})
    public String impl;

    private Path directory;
    private JvmPool single;
    private JvmPool multiplexed;
    private Process echo;
    private OutputStream toEcho;
    private BufferedReader fromEcho;
    private final byte[] line = "{\"type\":\"ping\",\"seq\":1}\n".getBytes(StandardCharsets.UTF_8);
    @SuppressWarnings("unchecked")
    private final TaskHandle<Integer>[] handles = new TaskHandle[BATCH];

    /**
     * Starts the worker or the echo.
     *
     * @throws IOException if the echo cannot start
     */
    @Setup(Level.Trial)
    public void start() throws IOException {
        directory = Files.createTempDirectory("parx-ipc-bench");
        if (impl.equals("parx")) {
            List<String> classpath = IpcSupport.jarredClasspath(directory);
            single = IpcSupport.started(JvmPool.builder().name("round-trip").workers(1)
                    .aotCacheDirectory(directory.resolve("aot")), classpath);
            multiplexed = IpcSupport.started(JvmPool.builder().name("pipelined").workers(1).tasksPerWorker(WINDOW)
                    .aotCacheDirectory(directory.resolve("aot")), classpath);
        } else {
            echo = new ProcessBuilder(IpcSupport.JAVA, "-cp", System.getProperty("java.class.path"),
                    IpcSupport.Echo.class.getName()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            toEcho = new BufferedOutputStream(echo.getOutputStream(), 64 * 1024);
            fromEcho = new BufferedReader(new InputStreamReader(echo.getInputStream(), StandardCharsets.UTF_8), 64 * 1024);
            roundTrip();    // the echo is up
        }
    }

    /**
     * Stops them.
     *
     * @throws InterruptedException if interrupted
     */
    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        if (single != null) {
            IpcSupport.close(single);
            IpcSupport.close(multiplexed);
        }
        if (echo != null) {
            echo.destroy();
            echo.waitFor(10, TimeUnit.SECONDS);
        }
        IpcSupport.delete(directory);
    }

    /**
     * One message there and back, waiting for it.
     *
     * @return the answer
     * @throws IOException if the echo's pipes break
     */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Object ipcRoundTrip() throws IOException {
        if (single != null) {
            return single.submit(IpcSupport.NoOp.class, 1).join();
        }
        return roundTrip();
    }

    private String roundTrip() throws IOException {
        toEcho.write(line);
        toEcho.flush();
        return fromEcho.readLine();
    }

    /**
     * {@value #BATCH} messages with up to {@value #WINDOW} in flight.
     *
     * @return the last answer
     * @throws IOException if the echo's pipes break
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @OperationsPerInvocation(BATCH)
    public Object ipcThroughput() throws IOException {
        if (multiplexed != null) {
            for (int i = 0; i < BATCH; i++) {
                handles[i] = multiplexed.submit(IpcSupport.NoOp.class, i);
            }
            Object last = null;
            for (TaskHandle<Integer> handle : handles) {
                last = handle.join();
            }
            return last;
        }
        int sent = 0;
        for (; sent < WINDOW; sent++) {
            toEcho.write(line);
            toEcho.flush();
        }
        String last = null;
        for (int received = 0; received < BATCH; received++) {
            last = fromEcho.readLine();
            if (sent < BATCH) {
                toEcho.write(line);
                toEcho.flush();
                sent++;
            }
        }
        return last;
    }
}
