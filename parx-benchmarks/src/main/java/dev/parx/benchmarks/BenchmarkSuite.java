package dev.parx.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs every parx benchmark with JMH and writes a Markdown table of the scores and of the ratios
 * against the baselines measured in the same run. A ratio above 1 always means parx does better:
 * more operations per unit of time, or less time per operation.
 *
 * <p>Arguments: the Markdown file to write, {@code full} or {@code quick} (a smoke run), and a
 * regular expression of the benchmarks to run.
 */
public final class BenchmarkSuite {

    /** Per benchmark method: the implementations the others are compared with. */
    private static final Map<String, List<String>> BASELINES = Map.ofEntries(
            Map.entry("noOpThroughput", List.of("tpe", "fjp")),
            Map.entry("noOpLatency", List.of("tpe", "fjp")),
            Map.entry("spscThroughput", List.of("abq", "agrona", "agrona-backoff")),
            Map.entry("spscPingPong", List.of("abq", "agrona", "agrona-backoff")),
            Map.entry("mpscThroughput", List.of("agrona", "agrona-backoff", "jctools")),
            Map.entry("primes", List.of("1 thread", "2 plain threads")),
            Map.entry("ExecBenchmark", List.of("bareProcessBuilder", "ztExec", "commonsExec")),
            Map.entry("StreamingBenchmark", List.of("bareInputStream")),
            Map.entry("CommandPoolBenchmark", List.of("executorAndProcessBuilder")),
            Map.entry("clusterRoundTrip", List.of("hazelcast-executor")),
            Map.entry("clusterThroughput", List.of("hazelcast-executor")),
            Map.entry("clusterPrimes", List.of("1 thread")),
            Map.entry("ipcRoundTrip", List.of("raw-echo")),
            Map.entry("ipcThroughput", List.of("raw-echo")),
            Map.entry("spawnToReady", List.of("java Hello")),
            Map.entry("ipcPrimes", List.of("1 thread")));

    /** Forks of every benchmark in a full run: {@code -Dbenchmarks.forks}, 3 by default. */
    private static final int FORKS = Integer.getInteger("benchmarks.forks", 3);

    private BenchmarkSuite() {
    }

    /**
     * Runs the suite.
     *
     * @param args output file, mode, include pattern
     * @throws RunnerException if JMH fails
     * @throws IOException if the report cannot be written
     */
    public static void main(String[] args) throws RunnerException, IOException {
        Path output = Path.of(args.length > 0 ? args[0] : "target/benchmarks.md");
        boolean quick = args.length > 1 && args[1].equals("quick");
        String include = args.length > 2 ? args[2] : ".*";
        int forks = quick ? 1 : FORKS;
        long start = System.nanoTime();
        Collection<RunResult> results = run(include, forks, quick);
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        String report = report(results, quick, seconds);
        Files.createDirectories(output.toAbsolutePath().getParent());
        Files.writeString(output, report);
        System.out.println();
        System.out.println(report);
        System.out.println("Written to " + output.toAbsolutePath());
    }

    /**
     * Runs every benchmark method matching {@code include}, one fork of each method and parameter set
     * at a time: within a benchmark class, the first fork of everything it compares, then the second
     * fork of everything in the reverse order, and so on. On a shared virtual machine, what the host
     * gives a fork drifts over minutes; JMH's own order (all forks of one implementation, then the
     * next) would hand that drift to the comparison. Interleaved, the implementations compared share it.
     */
    private static Collection<RunResult> run(String include, int forks, boolean quick) throws RunnerException {
        String pattern = "dev\\.parx\\.benchmarks\\..*(" + include + ").*";
        Map<String, List<String>> methodsByClass = new LinkedHashMap<>();
        Map<String, Map<String, String[]>> declaredParams = new LinkedHashMap<>();
        for (BenchmarkListEntry entry : BenchmarkList.defaultList().find(
                OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT), List.of(pattern), List.of())) {
            if (declaredParams.putIfAbsent(entry.getUsername(), entry.getParams().orElse(Map.of())) == null) {
                methodsByClass.computeIfAbsent(entry.getUserClassQName(), k -> new ArrayList<>()).add(entry.getUsername());
            }
        }
        Map<String, BenchmarkParams> params = new LinkedHashMap<>();
        Map<String, List<BenchmarkResult>> forkResults = new LinkedHashMap<>();
        for (List<String> methods : methodsByClass.values()) {
            for (int round = 0; round < forks; round++) {
                boolean reverse = round % 2 == 1;
                for (String method : reverse ? methods.reversed() : methods) {
                    ChainedOptionsBuilder options = options(quick).include("^" + Pattern.quote(method) + "$").forks(1);
                    if (reverse) {
                        declaredParams.get(method).forEach((name, values) ->
                                options.param(name, List.of(values).reversed().toArray(String[]::new)));
                    }
                    for (RunResult result : new Runner(options.build()).run()) {
                        String key = key(result.getParams());
                        params.putIfAbsent(key, result.getParams());
                        forkResults.computeIfAbsent(key, k -> new ArrayList<>()).addAll(result.getBenchmarkResults());
                    }
                }
            }
        }
        List<RunResult> merged = new ArrayList<>();
        params.forEach((key, first) -> merged.add(new RunResult(first, forkResults.get(key))));
        return merged;
    }

    private static ChainedOptionsBuilder options(boolean quick) {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .shouldFailOnError(false)   // one failing benchmark leaves a gap in the table, not an empty report
                // A fixed heap, touched before the benchmark starts: otherwise the first seconds of every fork
                // pay for page faults on young regions used for the first time, more for whichever
                // implementation allocates more, and measure the kernel rather than the code.
                .jvmArgsAppend("-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch", "--enable-native-access=ALL-UNNAMED",
                        // Agrona reaches into the JDK for its unsafe buffers
                        "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
                        "--add-opens", "java.base/java.nio=ALL-UNNAMED",
                        "--sun-misc-unsafe-memory-access=allow",
                        // and Hazelcast into the JDK's modules
                        "--add-modules", "java.se", "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
                        "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
                        "--add-opens", "java.management/sun.management=ALL-UNNAMED",
                        "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
                        "-Dorg.slf4j.simpleLogger.log.com.hazelcast=error",
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        if (quick) {
            options.warmupIterations(1).warmupTime(TimeValue.milliseconds(300))
                    .measurementIterations(1).measurementTime(TimeValue.milliseconds(300));
        } else {
            options.warmupIterations(3).warmupTime(TimeValue.seconds(1))
                    .measurementIterations(4).measurementTime(TimeValue.seconds(1))
                    .timeout(TimeValue.minutes(1));
        }
        return options;
    }

    private static String key(BenchmarkParams params) {
        StringBuilder key = new StringBuilder(params.getBenchmark());
        for (String name : params.getParamsKeys()) {
            key.append('|').append(name).append('=').append(params.getParam(name));
        }
        return key.toString();
    }

    private record Row(String group, String size, String impl, Result<?> result, boolean higherIsBetter) {

        /** The score: for sampled times the median (p50), else JMH's score. */
        double score() {
            return sampled() ? result.getStatistics().getPercentile(50) : result.getScore();
        }

        String error() {
            return sampled() ? "p50 (mean " + number(result.getScore()) + ", p90 "
                    + number(result.getStatistics().getPercentile(90)) + ")" : "± " + number(result.getScoreError());
        }

        private boolean sampled() {
            return result instanceof org.openjdk.jmh.results.SampleTimeResult;
        }
    }

    static String report(Collection<RunResult> results, boolean quick, long seconds) {
        Map<String, List<Row>> groups = new LinkedHashMap<>();
        for (RunResult run : results) {
            BenchmarkParams params = run.getParams();
            String method = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
            String benchmarkClass = params.getBenchmark().substring(0, params.getBenchmark().lastIndexOf('.'));
            benchmarkClass = benchmarkClass.substring(benchmarkClass.lastIndexOf('.') + 1);
            String group;
            String impl;
            if (method.startsWith("clusterPrimes")) {
                group = "clusterPrimes";
                impl = method.equals("clusterPrimesOneThread") ? "1 thread" : "parx 2 member JVMs";
            } else if (method.startsWith("primes")) {
                group = "primes";
                impl = switch (method) {
                    case "primesOneThread" -> "1 thread";
                    case "primesTwoThreads" -> "2 plain threads";
                    default -> "parx 2 workers";
                };
            } else if (params.getParam("impl") != null) {
                group = method;
                impl = params.getParam("impl");
            } else {
                // Benchmarks without an impl parameter compare their methods with each other.
                group = benchmarkClass;
                impl = method;
            }
            String size = params.getParam("size") != null ? params.getParam("size")
                    : params.getParam("workers") != null ? params.getParam("workers") + " workers" : "";
            boolean higherIsBetter = params.getMode() == org.openjdk.jmh.annotations.Mode.Throughput;
            groups.computeIfAbsent(group + "|" + size, key -> new ArrayList<>())
                    .add(new Row(group, size, impl, run.getPrimaryResult(), higherIsBetter));
        }
        StringBuilder out = new StringBuilder();
        out.append("# parx benchmarks\n\n");
        out.append(String.format(Locale.ROOT, "%s, JDK %s, %d cores, %s run (%d s). Ratios: how many times better than the"
                        + " baseline measured in the same run (above 1 = better).%n%n",
                Instant.now().toString().substring(0, 16).replace('T', ' ') + " UTC", Runtime.version(),
                Runtime.getRuntime().availableProcessors(), quick ? "quick smoke" : "full (" + FORKS + " forks, interleaved between the implementations compared, each on a fixed 1 GiB heap touched"
                        + " in advance, 3x1 s warm-up, 4x1 s measured; score ± 99.9% error)",
                seconds));
        out.append("| benchmark | size or workers | implementation | score | unit | ratios |\n");
        out.append("|---|---|---|---|---|---|\n");
        for (List<Row> rows : groups.values()) {
            List<String> baselines = BASELINES.getOrDefault(rows.getFirst().group(), List.of());
            for (Row row : rows) {
                StringBuilder ratios = new StringBuilder();
                for (String baseline : baselines) {
                    if (baseline.equals(row.impl())) {
                        continue;
                    }
                    for (Row base : rows) {
                        if (base.impl().equals(baseline)) {
                            double ratio = row.higherIsBetter()
                                    ? row.score() / base.score()
                                    : base.score() / row.score();
                            ratios.append(ratios.isEmpty() ? "" : ", ")
                                    .append(String.format(Locale.ROOT, "%.2fx vs %s", ratio, baseline));
                        }
                    }
                }
                out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s %s | %s | %s |%n",
                        row.group(), row.size(), row.impl(), number(row.score()), row.error(),
                        row.result().getScoreUnit(),
                        baselines.contains(row.impl()) ? "baseline" : ratios));
            }
        }
        return out.toString();
    }

    private static String number(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, value >= 100 ? "%.0f" : value >= 1 ? "%.2f" : "%.4f", value);
    }
}
