package dev.parx.benchmarks.process;

import dev.parx.process.Command;
import dev.parx.process.Output;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Streaming a command's stdout: {@code head -c <size> /dev/zero} through a parx chunk callback
 * beside reading the JDK's {@code InputStream} directly with a 64 KiB buffer. Both keep only one
 * buffer, so the heap needed does not grow with the output size (run with {@code -prof gc} to see
 * the allocation per operation stay flat across sizes). Throughput is {@code size / time}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgs = "-Xmx64m")
public class StreamingBenchmark {

    /** Bytes streamed per operation. */
    @Param({"1G"})
    public String size;

    /**
     * parx: chunks handed to a callback on a parx I/O thread.
     *
     * @return the bytes seen
     */
    @Benchmark
    public long parxChunks() {
        LongAdder seen = new LongAdder();
        Command.of("head", "-c", size, "/dev/zero")
                .stdout(Output.chunks((ByteBuffer chunk) -> seen.add(chunk.remaining())))
                .exec();
        return seen.sum();
    }

    /**
     * The JDK alone: read the process's stdout on the calling thread.
     *
     * @return the bytes seen
     * @throws Exception never expected
     */
    @Benchmark
    public long bareInputStream() throws Exception {
        Process process = new ProcessBuilder("head", "-c", size, "/dev/zero")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        process.getOutputStream().close();
        long seen = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = process.getInputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                seen += n;
            }
        }
        process.waitFor();
        return seen;
    }
}
