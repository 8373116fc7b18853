package dev.parx.threads.internal;

import dev.parx.engine.PrivateFiles;
import dev.parx.engine.UnsafeFileException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileStore;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Maps files for shared buffers: {@link #create} a new private file with every byte allocated,
 * {@link #join} an existing one. Both go through {@link PrivateFiles}.
 */
public final class MappedFiles {

    private static final int CHUNK = 1 << 20;

    private MappedFiles() {
    }

    /**
     * Creates {@code path} as a new owner-only file ({@link PrivateFiles#createFile}), makes it
     * {@code bytes} long with every block really allocated, and maps it read-write into
     * {@code arena}. On failure the new file is deleted again.
     *
     * <p>The file is grown by writing zeros, not by setting its length: a sparse file gets its blocks
     * on first touch, and on a full file system (a full tmpfs, say) that first touch kills the JVM
     * with SIGBUS instead of failing here. Growth happens under an exclusive file lock, which
     * {@link #join} waits for.
     *
     * @param path the file
     * @param bytes the length
     * @param arena the arena that owns the mapping; closing it unmaps
     * @return the mapped segment
     * @throws java.nio.file.FileAlreadyExistsException if anything exists at {@code path}
     * @throws IOException if the file cannot be created, grown or mapped, or the file system has
     *     too little usable space
     */
    public static MemorySegment create(Path path, long bytes, Arena arena) throws IOException {
        FileChannel file = PrivateFiles.createFile(path);
        try (file) {
            FileLock lock = file.lock();
            try {
                checkFreeSpace(path, bytes);
                fillWithZeros(file, bytes);
                file.force(false);
            } finally {
                lock.release();
            }
            return file.map(FileChannel.MapMode.READ_WRITE, 0, bytes, arena);
        } catch (IOException | RuntimeException | Error e) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * Opens the existing file {@code path} ({@link PrivateFiles#openFile}: ours alone, not a link)
     * and maps all of it read-write into {@code arena}, once a creator still growing it is done.
     *
     * @param path the file
     * @param arena the arena that owns the mapping; closing it unmaps
     * @return the mapped segment
     * @throws UnsafeFileException if the file is refused
     * @throws IOException if it does not exist, is empty, or cannot be opened or mapped
     */
    public static MemorySegment join(Path path, Arena arena) throws IOException {
        try (FileChannel file = PrivateFiles.openFile(path)) {
            long size;
            try {
                FileLock lock = file.lock(0, Long.MAX_VALUE, true);
                try {
                    size = file.size();
                } finally {
                    lock.release();
                }
            } catch (OverlappingFileLockException creating) {
                throw new FileSystemException(path.toString(), null,
                        "is still being created by another thread of this JVM; join it once create has returned");
            }
            if (size == 0) {
                throw new FileSystemException(path.toString(), null, "is empty; it was not created as a shared buffer,"
                        + " or its creator has not sized it yet");
            }
            return file.map(FileChannel.MapMode.READ_WRITE, 0, size, arena);
        }
    }

    private static void checkFreeSpace(Path path, long needed) throws IOException {
        FileStore store = Files.getFileStore(path);
        long usable = store.getUsableSpace();
        if (usable < needed) {
            throw new FileSystemException(path.toString(), null, "needs " + needed + " bytes, but the file system "
                    + store + " has " + usable + " usable bytes; not enough free space");
        }
    }

    private static void fillWithZeros(FileChannel file, long to) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocateDirect((int) Math.min(CHUNK, to));
        long position = 0;
        while (position < to) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), to - position));
            position += file.write(zeros, position);
        }
    }
}
