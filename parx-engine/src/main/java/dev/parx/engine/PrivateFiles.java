package dev.parx.engine;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Files and directories that belong to this process's user alone and are never reached through a
 * link that someone else planted: the one place where parx decides whether a path is safe to write
 * or to read back.
 *
 * <ul>
 *   <li>{@link #createFile} makes a new file atomically ({@code O_CREAT|O_EXCL}, which never follows
 *       a link), with mode {@code 0600} given at creation, not set afterwards;
 *   <li>{@link #openFile} opens an existing file without following a link, and only if it is a
 *       regular file of this user that no one else may read or write;
 *   <li>{@link #directory} creates a directory {@code 0700}, or reuses one only while it is still a
 *       real directory of this user with mode exactly {@code 0700}, in a parent that others cannot
 *       rearrange.
 * </ul>
 *
 * <p>Java has no {@code fstat} on an open channel, so {@link #openFile} reads the attributes without
 * following links before and after opening and requires the same file key: swapping the file in
 * between takes a user who may rename entries of its directory, which a sticky directory (the
 * system's temporary directory) and a {@link #directory private one} forbid.
 *
 * <p>Part of the engine SPI: a pool that keeps files (shared buffers, a child JVM's argument
 * files and AOT cache) keeps them through this class, so that every module decides the same way
 * what is safe.
 *
 * <p>POSIX file systems only (Linux, macOS); elsewhere every method fails with an {@link
 * IOException} that says so. Stateless; any thread. Depends on nothing else in parx.
 */
public final class PrivateFiles {

    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS_WRITE =
            EnumSet.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);
    private static final int STICKY = 01000;
    private static final String ATTRIBUTES = "unix:mode,uid,permissions,fileKey,isRegularFile,isDirectory,isSymbolicLink";
    private static final Set<OpenOption> CREATE = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
            StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    private static final Set<OpenOption> OPEN = Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS);

    private PrivateFiles() {
    }

    /**
     * Creates a new, empty file readable and writable by its owner only ({@code rw-------}).
     * Nothing may exist at {@code file}, not even a dangling link: what is there is never opened,
     * replaced or followed.
     *
     * @param file where to create it
     * @return the file, open for reading and writing; the caller closes it
     * @throws FileAlreadyExistsException if anything exists at {@code file}
     * @throws UnsafeFileException if the file system did not give the file owner-only permissions
     *     (a mount that ignores modes); the file is deleted again
     * @throws IOException if it cannot be created, or the file system is not POSIX
     */
    public static FileChannel createFile(Path file) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, CREATE, PosixFilePermissions.asFileAttribute(OWNER_FILE));
        } catch (FileAlreadyExistsException e) {
            throw new FileAlreadyExistsException(file.toString(), null, "exists already (a file, a directory or a link);"
                    + " creating never opens, replaces or follows what is there");
        } catch (UnsupportedOperationException e) {
            throw notPosix(file, e);
        }
        try {
            requireOwnersFile(file, lstat(file));
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /**
     * Opens an existing file for reading and writing, refusing a symbolic link, anything but a
     * regular file, a file of another user, and one that its group or others may read or write.
     *
     * @param file the file
     * @return the file, open; the caller closes it
     * @throws UnsafeFileException if the file is refused; the reason says why
     * @throws java.nio.file.NoSuchFileException if there is no file
     * @throws IOException if it cannot be opened or its attributes read
     */
    public static FileChannel openFile(Path file) throws IOException {
        Stat before = lstat(file);
        requireOwnersFile(file, before);
        FileChannel channel = FileChannel.open(file, OPEN);
        try {
            Stat after = lstat(file);
            if (!Objects.equals(before.fileKey(), after.fileKey())) {
                throw new UnsafeFileException(file, "was replaced by another file while it was being opened");
            }
            requireOwnersFile(file, after);
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Returns the directory {@code name} in {@code parent}, private to this user: created with mode
     * {@code 0700}, or, if it exists, checked to be a real directory (not a link) of this user with
     * mode exactly {@code 0700}. The parent must be this user's or root's, and writable by no one
     * else unless it has the sticky bit (as {@code /tmp} has), so that no one can swap the
     * directory later.
     *
     * @param parent where the directory lives
     * @param name its name
     * @return the directory
     * @throws UnsafeFileException if the directory or its parent is refused; the reason says why
     * @throws IOException if it cannot be created or checked, or the file system is not POSIX
     */
    public static Path directory(Path parent, String name) throws IOException {
        requireSafeParent(parent, stat(parent));   // following links: the system's temporary directory may be one
        Path directory = parent.resolve(name);
        try {
            Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(OWNER_DIRECTORY));
        } catch (FileAlreadyExistsException reused) {
            // checked below like a new one
        } catch (UnsupportedOperationException e) {
            throw notPosix(directory, e);
        }
        Stat stat = lstat(directory);
        if (stat.link()) {
            throw new UnsafeFileException(directory, "is a symbolic link, not a directory; someone may have planted it;"
                    + " remove it and parx creates the directory again");
        }
        if (!stat.directory()) {
            throw new UnsafeFileException(directory, "is not a directory; remove it and parx creates the directory");
        }
        requireOwner(directory, stat);
        if (!stat.permissions().equals(OWNER_DIRECTORY)) {
            throw new UnsafeFileException(directory, "has permissions " + PosixFilePermissions.toString(stat.permissions())
                    + ", not exactly rwx------ (0700), so it is no longer private; remove it (parx creates it again)"
                    + " or chmod 700 it");
        }
        return directory;
    }

    /**
     * Returns this user's private parx directory, {@code parx-<uid>} in {@link #temporaryRoot()},
     * created or checked as {@link #directory} does.
     *
     * @return the directory
     * @throws IOException as {@link #directory} does
     */
    public static Path userDirectory() throws IOException {
        return userDirectory(temporaryRoot());
    }

    /**
     * Returns this user's private parx directory in {@code root}, {@code parx-<uid>}, created or
     * checked as {@link #directory} does.
     *
     * @param root where it lives
     * @return the directory
     * @throws IOException as {@link #directory} does
     */
    public static Path userDirectory(Path root) throws IOException {
        return directory(root, "parx-" + currentUid());
    }

    /**
     * Returns where private directories live: {@code $XDG_RUNTIME_DIR} when it names a directory
     * (a per-user, {@code 0700} directory that ends with the user's session), else
     * {@code java.io.tmpdir}.
     *
     * @return the root
     */
    public static Path temporaryRoot() {
        return temporaryRoot(System.getenv("XDG_RUNTIME_DIR"), System.getProperty("java.io.tmpdir"));
    }

    static Path temporaryRoot(String xdgRuntimeDir, String tmpdir) {
        if (xdgRuntimeDir != null && !xdgRuntimeDir.isEmpty()) {
            Path runtime = Path.of(xdgRuntimeDir);
            if (runtime.isAbsolute() && Files.isDirectory(runtime)) {
                return runtime;
            }
        }
        return Path.of(tmpdir);
    }

    /**
     * Returns a name no other file of this process has had: {@code <prefix>-<pid>-<random><suffix>}.
     * The pid lets {@link #deleteOrphans} tell the files of dead processes.
     *
     * @param prefix the start of the name, without a dash
     * @param suffix the end of the name, such as {@code .bin}
     * @return the name
     */
    public static String uniqueName(String prefix, String suffix) {
        return prefix + "-" + ProcessHandle.current().pid() + "-"
                + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + suffix;
    }

    /**
     * Deletes the files of {@code directory} named by {@link #uniqueName} with {@code prefix} whose
     * process is no longer alive. A pid that was reused keeps its files until that process ends too.
     *
     * @param directory a {@link #directory private directory}
     * @param prefix the prefix of the names to consider
     * @return how many files were deleted
     * @throws IOException if the directory cannot be listed
     */
    public static int deleteOrphans(Path directory, String prefix) throws IOException {
        int deleted = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, prefix + "-*")) {
            for (Path entry : entries) {
                String rest = entry.getFileName().toString().substring(prefix.length() + 1);
                int dash = rest.indexOf('-');
                long pid;
                try {
                    pid = Long.parseLong(rest.substring(0, Math.max(dash, 0)));
                } catch (NumberFormatException notOurs) {
                    continue;
                }
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                if (Files.deleteIfExists(entry)) {
                    deleted++;
                }
            }
        }
        return deleted;
    }

    /**
     * Returns the user id of this process, which owns the files it creates.
     *
     * @return the uid
     */
    public static long currentUid() {
        return Uid.VALUE;
    }

    private static void requireOwnersFile(Path file, Stat stat) throws UnsafeFileException {
        if (stat.link()) {
            throw new UnsafeFileException(file, "is a symbolic link; parx never follows a link to a file it shares,"
                    + " since whoever planted it would choose which file is written");
        }
        if (!stat.regularFile()) {
            throw new UnsafeFileException(file, "is not a regular file");
        }
        requireOwner(file, stat);
        if (!OWNER_FILE.containsAll(stat.permissions())) {
            throw new UnsafeFileException(file, "has permissions " + PosixFilePermissions.toString(stat.permissions())
                    + ", so other users may read or write it, but a shared file must be its owner's alone (rw-------)");
        }
    }

    private static void requireOwner(Path file, Stat stat) throws UnsafeFileException {
        if (stat.uid() != currentUid()) {
            throw new UnsafeFileException(file, "is owned by uid " + stat.uid() + ", not by this process's user (uid "
                    + currentUid() + "); only one's own files are safe to share");
        }
    }

    private static void requireSafeParent(Path parent, Stat stat) throws UnsafeFileException {
        if (!stat.directory()) {
            throw new UnsafeFileException(parent, "is not a directory");
        }
        if (stat.uid() != currentUid() && stat.uid() != 0) {
            throw new UnsafeFileException(parent, "is owned by uid " + stat.uid() + ", neither this process's user (uid "
                    + currentUid() + ") nor root, so its owner could replace what parx keeps in it");
        }
        boolean othersMayWrite = stat.permissions().stream().anyMatch(GROUP_OR_OTHERS_WRITE::contains);
        if (othersMayWrite && (stat.mode() & STICKY) == 0) {
            throw new UnsafeFileException(parent, "is writable by other users and has no sticky bit, so one of them could"
                    + " replace what parx keeps in it");
        }
    }

    /** Reads the attributes of the link itself, if {@code path} is one. */
    private static Stat lstat(Path path) throws IOException {
        return attributes(path, LinkOption.NOFOLLOW_LINKS);
    }

    private static Stat stat(Path path) throws IOException {
        return attributes(path);
    }

    private static Stat attributes(Path path, LinkOption... options) throws IOException {
        Map<String, Object> attributes;
        try {
            attributes = Files.readAttributes(path, ATTRIBUTES, options);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            throw notPosix(path, e);
        }
        @SuppressWarnings("unchecked")
        Set<PosixFilePermission> permissions = (Set<PosixFilePermission>) attributes.get("permissions");
        return new Stat((Integer) attributes.get("mode"), Integer.toUnsignedLong((Integer) attributes.get("uid")),
                permissions, attributes.get("fileKey"), (Boolean) attributes.get("isRegularFile"),
                (Boolean) attributes.get("isDirectory"), (Boolean) attributes.get("isSymbolicLink"));
    }

    private static FileSystemException notPosix(Path path, RuntimeException cause) {
        FileSystemException e = new FileSystemException(path.toString(), null, "is on a file system without POSIX owners"
                + " and permissions, which parx needs to keep its files private");
        e.initCause(cause);
        return e;
    }

    private record Stat(int mode, long uid, Set<PosixFilePermission> permissions, Object fileKey,
            boolean regularFile, boolean directory, boolean link) {
    }

    /** Read once: a process's user does not change. */
    private static final class Uid {
        static final long VALUE = new UnixSystem().getUid();
    }
}
