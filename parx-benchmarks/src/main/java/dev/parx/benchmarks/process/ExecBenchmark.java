package dev.parx.benchmarks.process;

import dev.parx.process.Command;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.zeroturnaround.exec.ProcessExecutor;

/**
 * The cost of running {@code /bin/true} and collecting its exit code: parx's {@code exec()} (which
 * also drains both pipes, runs the command in its own process group and registers it with the
 * guardian) beside a bare {@code ProcessBuilder.start()} + {@code waitFor()}, zt-exec and
 * commons-exec.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ExecBenchmark {

    private static final String TRUE = "/bin/true";

    private final Command parx = Command.of(TRUE);

    /**
     * parx.
     *
     * @return the exit code
     */
    @Benchmark
    public int parxExec() {
        return parx.exec().exitCode();
    }

    /**
     * The JDK alone: start, wait, close the pipes (as any careful caller must).
     *
     * @return the exit code
     * @throws Exception never expected
     */
    @Benchmark
    public int bareProcessBuilder() throws Exception {
        Process process = new ProcessBuilder(TRUE).start();
        int code = process.waitFor();
        process.getInputStream().close();
        process.getErrorStream().close();
        process.getOutputStream().close();
        return code;
    }

    /**
     * zt-exec with its defaults.
     *
     * @return the exit code
     * @throws Exception never expected
     */
    @Benchmark
    public int ztExec() throws Exception {
        return new ProcessExecutor().command(TRUE).execute().getExitValue();
    }

    /**
     * commons-exec with its defaults.
     *
     * @return the exit code
     * @throws IOException never expected
     */
    @Benchmark
    public int commonsExec() throws IOException {
        return DefaultExecutor.builder().get().execute(new CommandLine(TRUE));
    }
}
