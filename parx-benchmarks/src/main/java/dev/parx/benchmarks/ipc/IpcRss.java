package dev.parx.benchmarks.ipc;

import dev.parx.ipc.JvmPool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reports the idle resident memory ({@code VmRSS} of {@code /proc/<pid>/status}) of one worker of a
 * JvmPool, after it started, ran 100 no-op tasks and sat idle for a second, and its anonymous part
 * ({@code RssAnon}: what is the worker's alone, while file pages such as the AOT cache's are shared
 * by the workers that map the same file). The first round of
 * each option set trains its AOT cache and is not counted.
 *
 * <p>Arguments: rounds, then JVM option sets, one an argument (an empty one: the defaults),
 * e.g. {@code 3 "" "-Xss256k -XX:ReservedCodeCacheSize=16m"}; a set that starts with {@code noaot}
 * runs without the AOT cache. Prints one line per set: the
 * median, minimum and maximum RSS in MiB over the rounds.
 */
public final class IpcRss {

    private IpcRss() {
    }

    /**
     * Runs the measurement.
     *
     * @param args rounds, then option sets
     * @throws Exception if a pool fails
     */
    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        Path directory = Files.createTempDirectory("parx-rss");
        try {
            List<String> classpath = IpcSupport.jarredClasspath(directory);
            for (int a = 1; a < args.length; a++) {
                boolean aot = !args[a].startsWith("noaot");
                String set = aot ? args[a] : args[a].substring("noaot".length());
                List<String> options = set.isBlank() ? List.of() : List.of(set.trim().split("\\s+"));
                List<Long> kib = new ArrayList<>();
                List<Long> anonKib = new ArrayList<>();
                for (int round = 0; round < rounds + 1; round++) {
                    JvmPool.Builder builder = JvmPool.builder().name("rss").workers(1)
                            .aotCacheDirectory(directory.resolve("aot")).aotCache(aot);
                    if (!options.isEmpty()) {
                        builder.jvmOptions(options);
                    }
                    JvmPool pool = IpcSupport.started(builder, classpath);
                    for (int i = 0; i < 100; i++) {
                        pool.submit(IpcSupport.NoOp.class, i).join();
                    }
                    Thread.sleep(1000);
                    ProcessHandle worker = ProcessHandle.current().children()
                            .filter(p -> p.info().commandLine().orElse("").contains("dev.parx.ipc.ChildMain")
                                    && !p.info().commandLine().orElse("").contains("--train"))
                            .findFirst().orElseThrow();
                    long rss = statusKib(worker, "VmRSS:");
                    long anon = statusKib(worker, "RssAnon:");
                    IpcSupport.close(pool);   // the first round's close waits for the AOT training
                    if (round > 0) {
                        kib.add(rss);
                        anonKib.add(anon);
                    }
                }
                kib.sort(null);
                anonKib.sort(null);
                System.out.printf(Locale.ROOT, "idle RSS [%s]: median %.1f MiB (min %.1f, max %.1f), of it anonymous"
                        + " %.1f MiB; %d rounds, AOT cache %s%n",
                        String.join(" ", options), kib.get(kib.size() / 2) / 1024.0, kib.getFirst() / 1024.0,
                        kib.getLast() / 1024.0, anonKib.get(anonKib.size() / 2) / 1024.0, kib.size(), aot ? "on" : "off");
            }
        } finally {
            IpcSupport.delete(directory);
        }
    }

    private static long statusKib(ProcessHandle process, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the status of " + process.pid(), e);
        }
        throw new IllegalStateException("no " + field + " for " + process.pid());
    }
}
