package dev.parx.ipc.internal;

import dev.parx.engine.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
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
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the JDK 25 AOT cache options of a child JVM (JEP 483, 514), so that workers start from a
 * cache of loaded and linked classes that an earlier worker trained.
 *
 * <p>Caches live in a private directory ({@code $XDG_CACHE_HOME/parx/aot}, else
 * {@code ~/.cache/parx/aot}, mode {@code 0700}), one per key: a hash of the JDK (the executable's
 * real path, the size and time of its {@code lib/modules}, and this JVM's {@code java.vm.version}
 * when it is the same JDK), of every classpath entry with its size and modification time, and of
 * the JVM options. A changed jar, JDK or flag therefore gives a new key and a new cache.
 *
 * <p>{@link #options} returns, in this order of preference:
 * <ul>
 *   <li>{@code -XX:AOTCache=<file>} when the key's cache exists;
 *   <li>{@code -XX:AOTCacheOutput=<file>} for the first worker of a key in this JVM: that worker
 *       records what it loads and, when it exits, writes the cache (which takes a JVM of its own
 *       and a second or two); a later call finds the finished file and moves it into place;
 *   <li>nothing, for the workers that start while the first one trains, and wherever the cache
 *       directory cannot be used, or the options already choose their own class-data sharing.
 * </ul>
 * Both kinds of option come after flags that send the JVM's own output to stderr instead of
 * stdout ({@code -Xlog:disable -Xlog:all=warning:stderr -XX:+DisplayVMOutputToStderr}): the
 * training messages and, where a cache cannot be mapped, the JVM's errors would otherwise be
 * printed to stdout. A cache that the JVM cannot use never stops a worker: the default
 * {@code -XX:AOTMode=auto} starts without it. Put the returned options before the user's own JVM
 * options, so that their {@code -Xlog} settings still apply.
 *
 * <p>A cache file is made owner-only ({@code rw-------}) before it is used; the JVM creates it with
 * the umask's mode, inside the {@code 0700} directory. Thread-safe.
 */
public final class AotCache {

    private static final Logger LOG = LoggerFactory.getLogger(AotCache.class);

    /** Keeps the JVM's logging and messages off stdout, where only frames may go. */
    static final List<String> VM_OUTPUT_TO_STDERR = List.of("-Xlog:disable", "-Xlog:all=warning:stderr",
            "-XX:+DisplayVMOutputToStderr");

    private static final String SUFFIX = ".aot";
    /** What the JVM adds to an {@code AOTCacheOutput} name for its temporary configuration. */
    private static final String CONFIG_SUFFIX = ".config";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    /** The caches this JVM has asked a worker to train, by file of the cache: one each. */
    private static final Set<Path> TRAINING = ConcurrentHashMap.newKeySet();

    private AotCache() {
    }

    /**
     * Returns the AOT cache options for a child JVM; never fails.
     *
     * @param javaExecutable the {@code java} the child runs
     * @param classpath its classpath entries
     * @param jvmOptions its other JVM options, which the cache depends on (heap, GC, compiler)
     * @return the options to put before {@code jvmOptions}; empty when none apply
     */
    public static List<String> options(String javaExecutable, List<String> classpath, List<String> jvmOptions) {
        Path directory;
        try {
            directory = directory(System.getenv("XDG_CACHE_HOME"), System.getProperty("user.home"));
        } catch (IOException | RuntimeException e) {
            LOG.warn("child JVMs start without an AOT cache: {}", e.getMessage());
            return List.of();
        }
        return options(javaExecutable, classpath, jvmOptions, directory);
    }

    static List<String> options(String javaExecutable, List<String> classpath, List<String> jvmOptions, Path directory) {
        if (jvmOptions.stream().anyMatch(option -> option.startsWith("-XX:AOT") || option.startsWith("-Xshare")
                || option.startsWith("-XX:SharedArchiveFile") || option.startsWith("-XX:+AutoCreateSharedArchive"))) {
            return List.of();   // the caller chose its own class-data sharing
        }
        try {
            String key = key(javaExecutable, classpath, jvmOptions);
            Path cache = directory.resolve(key + SUFFIX);
            promoteFinished(directory, key, cache);
            if (usable(cache)) {
                return with("-XX:AOTCache=" + cache);
            }
            if (TRAINING.add(cache)) {
                PrivateFiles.deleteOrphans(directory, key);
                return with("-XX:AOTCacheOutput=" + directory.resolve(PrivateFiles.uniqueName(key, SUFFIX)));
            }
            return List.of();
        } catch (IOException | RuntimeException e) {
            LOG.warn("a child JVM starts without an AOT cache: {}", e.toString());
            return List.of();
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

    private static String stamp(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return attributes.size() + "@" + attributes.lastModifiedTime().toMillis();
        } catch (IOException missing) {
            return "missing";
        }
    }

    private static List<String> with(String option) {
        List<String> options = new ArrayList<>(VM_OUTPUT_TO_STDERR);
        options.add(option);
        return List.copyOf(options);
    }

    /**
     * Moves a training's cache into place once its JVM wrote all of it: the file exists and the
     * JVM's temporary configuration is gone (it is deleted after the cache was written).
     */
    private static void promoteFinished(Path directory, String key, Path cache) throws IOException {
        try (DirectoryStream<Path> trainings = Files.newDirectoryStream(directory, key + "-*" + SUFFIX)) {
            for (Path training : trainings) {
                Path config = training.resolveSibling(training.getFileName() + CONFIG_SUFFIX);
                if (Files.exists(config, LinkOption.NOFOLLOW_LINKS) || !ownersRegularFile(training)) {
                    continue;
                }
                Files.setPosixFilePermissions(training, OWNER_ONLY);
                try {
                    Files.move(training, cache, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException | NoSuchFileException e) {
                    continue;   // another JVM moved it first
                }
                LOG.debug("AOT cache {} is ready", cache);
            }
        }
    }

    /** Returns whether the cache exists, and makes it owner-only if the JVM created it wider. */
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
                LOG.warn("ignoring {}: not a regular file", file);
                return false;
            }
            if (Integer.toUnsignedLong((Integer) attributes.get("uid")) != PrivateFiles.currentUid()) {
                LOG.warn("ignoring {}: owned by another user", file);
                return false;
            }
            return true;
        } catch (NoSuchFileException missing) {
            return false;
        }
    }
}
