package dev.parx.threads.internal;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Maps files for shared buffers, allocating every byte first. */
public final class MappedFiles {

    private static final int CHUNK = 1 << 20;

    private MappedFiles() {
    }

    /**
     * Opens or creates {@code path}, makes it at least {@code bytes} long with every block really
     * allocated, and maps its first {@code bytes} read-write into {@code arena}.
     *
     * <p>The file is grown by writing zeros, not by setting its length: a sparse file gets its blocks
     * on first touch, and on a full file system (a full tmpfs, say) that first touch kills the JVM
     * with SIGBUS instead of failing here. Growth happens under an exclusive file lock, so two
     * processes mapping the same new file never zero each other's data.
     *
     * @param path the file
     * @param bytes the length to map
     * @param arena the arena that owns the mapping; closing it unmaps
     * @return the mapped segment
     * @throws IOException if the file cannot be created, grown or mapped, or the file system has
     *     too little usable space
     */
    public static MemorySegment map(Path path, long bytes, Arena arena) throws IOException {
        try (FileChannel file = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            FileLock lock = file.lock();
            try {
                long size = file.size();
                if (size < bytes) {
                    checkFreeSpace(path, bytes - size);
                    fillWithZeros(file, size, bytes);
                    file.force(false);
                }
            } finally {
                lock.release();
            }
            return file.map(FileChannel.MapMode.READ_WRITE, 0, bytes, arena);
        }
    }

    private static void checkFreeSpace(Path path, long needed) throws IOException {
        FileStore store = Files.getFileStore(path);
        long usable = store.getUsableSpace();
        if (usable < needed) {
            throw new IOException("not enough free space to map " + path + ": it needs " + needed
                    + " more bytes, but the file system " + store + " has " + usable + " usable bytes");
        }
    }

    private static void fillWithZeros(FileChannel file, long from, long to) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocateDirect((int) Math.min(CHUNK, to - from));
        long position = from;
        while (position < to) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), to - position));
            position += file.write(zeros, position);
        }
    }
}
