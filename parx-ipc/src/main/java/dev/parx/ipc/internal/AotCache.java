package dev.parx.ipc.internal;

import dev.parx.engine.PrivateFiles;
import dev.parx.process.Command;
import dev.parx.process.CommandResult;
import dev.parx.process.Output;
import dev.parx.process.RunningCommand;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDK 25 AOT cache (JEP 483, 514) of one pool's child JVMs: a file of loaded and linked classes
 * that a short training run of {@code ChildMain --train} writes, so that workers start from it.
 *
 * <p>Caches live in a private directory ({@code $XDG_CACHE_HOME/parx/aot}, else
 * {@code ~/.cache/parx/aot}, mode {@code 0700}), one per key: a hash of the JDK (the executable's
 * real path, the size and time of its {@code lib/modules}, and this JVM's {@code java.vm.version}
 * when it is the same JDK), of every classpath entry with its size and modification time, and of
 * the JVM options. A changed jar, JDK or flag therefore gives a new key and a new cache.
 *
 * <p>A worker never trains: a JVM started with {@code -XX:AOTCacheOutput} writes its cache when it
 * exits, which takes a second JVM and a second or two and would run in the exit of a task that
 * calls {@code System.exit}. Instead {@link #train} starts, once per key in this JVM and only while
 * no cache exists, a separate child that says hello, runs a built-in warm-up task through the
 * protocol and exits; its cache is made owner-only and moved into place atomically when it exited
 * with 0. Workers started before that get no AOT option; {@link #options} gives
 * {@code -XX:AOTCache=<file>} once the file exists.
 *
 * <p>The JVM writes no cache for a class path that holds a non-empty directory (only jars, and
 * empty or missing entries): such a pool gets no cache.
 *
 * <p>Never a failure: a directory that cannot be used, a JDK without AOT caches, a training that
 * fails, a cache file the JVM refuses ({@link #rejectedBy}, which deletes it) all leave the workers
 * starting without a cache, with a DEBUG or INFO log. The AOT option comes after flags that send
 * the JVM's own output to stderr ({@code -Xlog:disable -Xlog:all=warning:stderr
 * -XX:+DisplayVMOutputToStderr}), so that what the JVM says about a cache never reaches stdout; put
 * the options before the user's own JVM options, so that their {@code -Xlog} settings still apply.
 *
 * <p>Thread-safe.
 */
public final class AotCache {

    private static final Logger LOG = LoggerFactory.getLogger(AotCache.class);

    /** Keeps the JVM's logging and messages off stdout, where only frames may go. */
    static final List<String> VM_OUTPUT_TO_STDERR = List.of("-Xlog:disable", "-Xlog:all=warning:stderr",
            "-XX:+DisplayVMOutputToStderr");

    /** An error of the JVM's {@code aot} log, as {@code [0.006s][error  ][aot] Unable to map shared spaces}. */
    private static final Pattern REFUSAL = Pattern.compile("\\[error\\s*]\\[aot");

    /** The most a training may take before it is killed. */
    private static final Duration TRAINING_TIMEOUT = Duration.ofSeconds(60);
    private static final String SUFFIX = ".aot";
    /** What the JVM adds to an {@code AOTCacheOutput} name for its temporary configuration. */
    private static final String CONFIG_SUFFIX = ".config";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    /** The length of a command line past which the arguments go through an argument file. */
    private static final long LONG_COMMAND = 16 * 1024;

    /** The trainings this JVM started, by file of the cache: one each, run or finished. */
    private static final Map<Path, Training> TRAININGS = new ConcurrentHashMap<>();

    private final List<String> command;
    private final Path cache;           // null: no cache for this pool
    private final String key;

    private AotCache(List<String> command, Path cache, String key) {
        this.command = command;
        this.cache = cache;
        this.key = key;
    }

    /**
     * Returns the cache of the child JVMs that {@code command} starts; never fails: where no
     * cache can be used, one whose {@link #options} are empty and that never trains.
     *
     * @param command {@code java}, the JVM options, {@code -cp} and the class path, up to the main class
     * @param directory the cache directory, created private if missing; null for the default
     * @return the cache
     */
    public static AotCache of(List<String> command, Path directory) {
        List<String> copy = List.copyOf(command);
        List<String> options = new ArrayList<>();
        List<String> classpath = new ArrayList<>();
        for (int i = 1; i < copy.size(); i++) {
            String option = copy.get(i);
            if ((option.equals("-cp") || option.equals("-classpath") || option.equals("--class-path"))
                    && i + 1 < copy.size()) {
                classpath.addAll(List.of(copy.get(++i).split(File.pathSeparator)));
            } else {
                options.add(option);
            }
        }
        if (options.stream().anyMatch(option -> option.startsWith("-XX:AOT") || option.startsWith("-Xshare")
                || option.startsWith("-XX:SharedArchiveFile") || option.startsWith("-XX:+AutoCreateSharedArchive"))) {
            LOG.debug("no AOT cache for child JVMs: their options choose their own class-data sharing");
            return new AotCache(copy, null, null);
        }
        for (String entry : classpath) {
            if (nonEmptyDirectory(Path.of(entry))) {
                // The JVM refuses to write a cache for such a class path ("Cannot have non-empty directory in paths").
                LOG.debug("no AOT cache for child JVMs: their class path holds the directory {}, not only jars", entry);
                return new AotCache(copy, null, null);
            }
        }
        try {
            Path where = directory != null ? privateDirectory(directory)
                    : directory(System.getenv("XDG_CACHE_HOME"), System.getProperty("user.home"));
            String key = key(copy.getFirst(), classpath, options);
            return new AotCache(copy, where.resolve(key + SUFFIX), key);
        } catch (IOException | RuntimeException e) {
            LOG.info("child JVMs start without an AOT cache: {}", e.getMessage());
            return new AotCache(copy, null, null);
        }
    }

    /**
     * Returns the options that make a child use the cache: empty while there is none.
     *
     * @return the options to put right after {@code java}
     */
    public List<String> options() {
        if (cache == null) {
            return List.of();
        }
        try {
            if (usable(cache)) {
                List<String> options = new ArrayList<>(VM_OUTPUT_TO_STDERR);
                options.add("-XX:AOTCache=" + cache);
                return List.copyOf(options);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("a child JVM starts without the AOT cache {}: {}", cache, e.toString());
        }
        return List.of();
    }

    /** Returns the file of the cache, which may not exist yet; null if this pool has none. */
    Path file() {
        return cache;
    }

    /**
     * Starts the training of the cache in the background, unless it exists, is being trained or
     * was tried by this JVM already.
     *
     * @param environment the children's environment variables
     * @param childArguments the arguments of {@code ChildMain} after {@code --train}
     * @return the training this call started, to be {@linkplain Training#finish finished} by the
     *     caller; null if it started none
     */
    public Training train(Map<String, String> environment, List<String> childArguments) {
        if (cache == null || Files.exists(cache, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        Training training = new Training();
        if (TRAININGS.putIfAbsent(cache, training) != null) {
            return null;
        }
        try {
            training.start(environment, childArguments);
            return training;
        } catch (IOException | RuntimeException e) {
            LOG.info("no AOT cache for child JVMs: the training run did not start: {}", e.toString());
            training.clean();
            return null;
        }
    }

    /**
     * Checks a line a child wrote to stderr before its hello for the JVM's refusal of the cache,
     * and deletes a refused cache, so that it is trained again (by a later pool).
     *
     * @param line the line
     * @return whether it said the cache was refused
     */
    public boolean rejectedBy(String line) {
        if (cache == null || !REFUSAL.matcher(line).find()) {
            return false;
        }
        LOG.info("the JVM refused the AOT cache {}: deleted ({})", cache, line);
        try {
            if (ownersRegularFile(cache)) {
                Files.deleteIfExists(cache);
            }
        } catch (IOException e) {
            LOG.debug("the refused AOT cache {} was not deleted", cache, e);
        }
        return true;
    }

    /**
     * Waits for the trainings this JVM started to end. For tests.
     *
     * @param bound the longest to wait for each
     */
    static void awaitTrainings(Duration bound) {
        for (Training training : TRAININGS.values()) {
            training.finish(bound);
        }
    }

    /**
     * Forgets the trainings this JVM tried, so that a key may be trained again. For tests.
     */
    static void forgetTrainings() {
        TRAININGS.clear();
    }

    @Override
    public String toString() {
        return cache == null ? "AotCache[off]" : "AotCache[" + cache + "]";
    }

    /** One training run of the cache, in a child JVM of its own. */
    public final class Training {

        private volatile RunningCommand process;
        private Path output;
        private Path argFile;

        private Training() {
        }

        private void start(Map<String, String> environment, List<String> childArguments) throws IOException {
            Path directory = cache.getParent();
            PrivateFiles.deleteOrphans(directory, key);
            output = directory.resolve(PrivateFiles.uniqueName(key, SUFFIX));
            List<String> line = new ArrayList<>();
            line.add(command.getFirst());
            line.addAll(VM_OUTPUT_TO_STDERR);
            line.add("-XX:AOTCacheOutput=" + output);
            line.addAll(command.subList(1, command.size()));
            line.add("dev.parx.ipc.ChildMain");
            line.add("--train");
            line.addAll(childArguments);
            if (line.stream().mapToLong(String::length).sum() > LONG_COMMAND) {
                argFile = ArgFiles.write(line.subList(1, line.size()));
                line = List.of(line.getFirst(), "@" + argFile);
            }
            long started = System.nanoTime();
            process = Command.of(line)
                    .env(environment)
                    .stdout(Output.discard())
                    .stderr(Output.lines(text -> LOG.debug("[AOT training] {}", text)))
                    .allowAnyExitCode()
                    .timeout(TRAINING_TIMEOUT)
                    .killGrace(Duration.ofMillis(200))
                    .spawn();
            LOG.debug("training the AOT cache {} of child JVMs", cache);
            process.onExit().whenComplete((result, failure) -> ended(result, started));
        }

        private void ended(CommandResult result, long started) {
            try {
                Path config = output.resolveSibling(output.getFileName() + CONFIG_SUFFIX);
                if (result != null && result.exitCode() == 0 && !Files.exists(config, LinkOption.NOFOLLOW_LINKS)
                        && ownersRegularFile(output)) {
                    Files.setPosixFilePermissions(output, OWNER_ONLY);
                    try {
                        Files.move(output, cache, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                        LOG.debug("AOT cache {} is ready after {} ms", cache, (System.nanoTime() - started) / 1_000_000);
                    } catch (AtomicMoveNotSupportedException | NoSuchFileException e) {
                        LOG.debug("AOT cache {} was not moved into place: {}", cache, e.toString());
                    }
                } else {
                    LOG.info("no AOT cache for child JVMs: the training run {}", result == null ? "was stopped"
                            : "exited with code " + result.exitCode());
                }
            } catch (IOException | RuntimeException e) {
                LOG.info("no AOT cache for child JVMs: {}", e.toString());
            } finally {
                clean();
            }
        }

        private void clean() {
            try {
                if (output != null) {
                    Files.deleteIfExists(output);
                    Files.deleteIfExists(output.resolveSibling(output.getFileName() + CONFIG_SUFFIX));
                }
                if (argFile != null) {
                    ArgFiles.delete(argFile);
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("the files of an AOT training were not deleted", e);
            }
        }

        /**
         * Waits for the training to end, at most {@code bound}, then kills it (its cache is then
         * not made, and this JVM does not train the key again).
         *
         * @param bound the longest to wait
         */
        public void finish(Duration bound) {
            RunningCommand running = process;
            if (running == null) {
                return;
            }
            try {
                running.onExit().get(bound.toNanos(), TimeUnit.NANOSECONDS);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (TimeoutException e) {
                LOG.info("the AOT training of child JVMs did not end within {}: stopped", bound);
            } catch (ExecutionException | CancellationException e) {
                return;
            }
            running.kill();
            try {
                running.onExit().get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException | CancellationException e) {
                // killed
            }
        }
    }

    /**
     * Returns the private cache directory, {@code <root>/parx/aot}, where root is
     * {@code $XDG_CACHE_HOME} if it is an absolute path, else {@code <home>/.cache}.
     */
    static Path directory(String xdgCacheHome, String userHome) throws IOException {
        Path root = xdgCacheHome != null && !xdgCacheHome.isEmpty() && Path.of(xdgCacheHome).isAbsolute()
                ? Path.of(xdgCacheHome) : Path.of(userHome, ".cache");
        if (!Files.isDirectory(root)) {
            try {
                Files.createDirectories(root, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            } catch (UnsupportedOperationException e) {
                throw new IOException(root + " is on a file system without POSIX permissions", e);
            }
        }
        return PrivateFiles.directory(PrivateFiles.directory(root, "parx"), "aot");
    }

    /** A directory the user named: created private if missing, else checked to be private. */
    private static Path privateDirectory(Path directory) throws IOException {
        Path absolute = directory.toAbsolutePath().normalize();
        if (absolute.getParent() == null) {
            throw new IOException("the AOT cache directory must not be the root directory");
        }
        return PrivateFiles.directory(absolute.getParent(), absolute.getFileName().toString());
    }

    /** Hashes what a cache depends on into a file name. */
    static String key(String javaExecutable, List<String> classpath, List<String> jvmOptions) throws IOException {
        StringBuilder identity = new StringBuilder("jdk\0");
        Path java = Path.of(javaExecutable).toRealPath();
        Path home = java.getParent() == null ? null : java.getParent().getParent();
        identity.append(java).append('\0');
        if (home != null) {
            identity.append(stamp(home.resolve("lib").resolve("modules"))).append('\0');
            if (home.equals(Path.of(System.getProperty("java.home")).toRealPath())) {
                identity.append(System.getProperty("java.vm.version")).append('\0');
            }
        }
        identity.append("classpath\0");
        for (String entry : classpath) {
            identity.append(entry).append('\0').append(stamp(Path.of(entry))).append('\0');
        }
        identity.append("options\0");
        for (String option : jvmOptions) {
            identity.append(option).append('\0');
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(identity.toString().getBytes(StandardCharsets.UTF_8));
            return "cache" + HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }

    private static boolean nonEmptyDirectory(Path entry) {
        if (!Files.isDirectory(entry)) {
            return false;
        }
        try (var entries = Files.list(entry)) {
            return entries.findAny().isPresent();
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    private static String stamp(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return attributes.size() + "@" + attributes.lastModifiedTime().toMillis();
        } catch (IOException missing) {
            return "missing";
        }
    }

    /** Returns whether the cache exists, and makes it owner-only if it is wider. */
    private static boolean usable(Path cache) throws IOException {
        if (!ownersRegularFile(cache)) {
            return false;
        }
        PosixFileAttributes attributes = Files.readAttributes(cache, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!OWNER_ONLY.containsAll(attributes.permissions())) {
            Files.setPosixFilePermissions(cache, OWNER_ONLY);   // not a link: checked, in a directory only we may change
        }
        return true;
    }

    private static boolean ownersRegularFile(Path file) throws IOException {
        try {
            var attributes = Files.readAttributes(file, "unix:uid,isRegularFile", LinkOption.NOFOLLOW_LINKS);
            if (!(Boolean) attributes.get("isRegularFile")) {
                LOG.info("ignoring {}: not a regular file", file);
                return false;
            }
            if (Integer.toUnsignedLong((Integer) attributes.get("uid")) != PrivateFiles.currentUid()) {
                LOG.info("ignoring {}: owned by another user", file);
                return false;
            }
            return true;
        } catch (NoSuchFileException missing) {
            return false;
        }
    }
}
