package dev.parx.threads;

import dev.parx.engine.PrivateFiles;
import dev.parx.threads.internal.Futex;
import dev.parx.threads.internal.MappedFiles;
import dev.parx.threads.internal.SharedArena;
import dev.parx.threads.internal.WaiterTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * A block of memory outside the Java heap that threads read and write in place: the JVM's
 * {@code SharedArrayBuffer} with {@code Atomics}. {@link #allocate(long)} takes native memory; a
 * buffer over a memory-mapped file is shared with other JVMs and processes that map the same file:
 * one side {@link #create(Path, long) creates} the file, the others {@link #join(Path) join} it, or
 * {@link #createTemporary(long)} picks a private path.
 *
 * <pre>{@code
 * try (SharedBuffer results = SharedBuffer.allocate(8L * n)) {
 *     // tasks get the buffer by reference and write their slice in place
 *     List<TaskHandle<Void>> handles = ...;
 *     handles.forEach(TaskHandle::join);          // join: the writes happen-before this point
 *     long first = results.getLong(0);
 * }
 * }</pre>
 *
 * <h2>Files: who else can reach the memory</h2>
 * Every process that may open a buffer's file can read and change the memory. So a file is its
 * owner's alone: {@code create} makes a new file with mode {@code rw-------} from the start, never
 * through a symbolic link, and refuses a path where anything exists; {@code join} refuses a link,
 * anything but a regular file, another user's file, and a file that others may read or write. A
 * predictable path in a shared directory such as {@code /tmp} is still open to a denial of service
 * (another user takes the name first: {@code create} then fails), never to a leak or to writing
 * through a planted link. {@link #createTemporary(long)} chooses a private path instead; where
 * {@code $XDG_RUNTIME_DIR} is unset, another user can still block it (not read it) by taking the name
 * of its directory in {@code java.io.tmpdir} first. The checks need a POSIX file system (Linux,
 * macOS); elsewhere a file buffer fails with {@link SharedFileException}.
 *
 * <h2>Threading and memory visibility</h2>
 * Every method may be called by any thread. Plain accessors ({@code getInt}, {@code setLong}, ...)
 * have no ordering of their own, like plain Java fields: publish them through a happens-before
 * edge (joining a task, a {@link #setIntRelease release store} read by a {@link #getIntVolatile
 * volatile load}, an atomic, a {@code waitFor}/{@code notify} pair). The atomic and volatile methods
 * have the semantics of the same {@link VarHandle} access modes, across threads and, for mapped
 * buffers, across processes on the same machine. They need an offset aligned to their size (4 for
 * int, 8 for long) and refuse any other with {@link IllegalArgumentException}.
 *
 * <h2>Waiting</h2>
 * {@link #waitFor(long, int, Duration)} and {@link #notify(long, int)} behave like
 * {@code Atomics.wait} and {@code Atomics.notify} among the threads of this JVM that use this
 * {@code SharedBuffer} object. For a mapped buffer, a waiter also returns {@link WaitResult#OK}
 * when it sees the value change, whoever changed it: another process, or another
 * {@code SharedBuffer} over the same file. On Linux (x86-64, AArch64), when this module may call
 * native code ({@code --enable-native-access=dev.parx.threads}, or {@code ALL-UNNAMED} on the class
 * path), a mapped buffer's waiter sleeps in a {@code futex(2)} wait on the value, and
 * {@code notify} wakes the waiters of every process that maps the file, at the cost of one system
 * call per {@code notify} (even with no one waiting); a change without {@code notify} is still
 * polled. Elsewhere a mapped buffer's {@code waitFor} polls the value, with a backoff from 1
 * microsecond up to 1 millisecond. A round trip between two processes through
 * {@code waitFor}/{@code notify} costs tens of microseconds with the futex, hundreds by polling
 * alone (see {@code docs/ipc-protocol.md}).
 *
 * <h2>Child JVMs</h2>
 * A mapped buffer may be part of the input of a task that runs on a {@code dev.parx.ipc.JvmPool}
 * (or of a message sent to it): it crosses as its file, and the task gets a buffer joined to the
 * same file, unmapped when the task ends; an allocated buffer is refused there. The protocol
 * ({@code docs/ipc-protocol.md}) says how.
 *
 * <h2>Bounds and lifetime</h2>
 * Every access is bounds-checked ({@link IndexOutOfBoundsException}). {@link #close()} frees the
 * memory (unmaps the file) once; every later access throws {@link IllegalStateException}, and an
 * access racing with {@code close()} on another thread throws the same instead of touching freed
 * memory (HotSpot may also set that thread's interrupt status as it delivers the exception: close a
 * buffer only once its users are done, as with any resource). A buffer that becomes unreachable
 * without being closed is freed then.
 */
public final class SharedBuffer implements AutoCloseable {

    /** How {@link #waitFor} ended, as the strings {@code Atomics.wait} returns. */
    public enum WaitResult {
        /** Woken by {@link #notify} (or, for a mapped buffer, saw the value change). */
        OK,
        /** The value was not the expected one: the caller did not wait. */
        NOT_EQUAL,
        /** The timeout passed. */
        TIMED_OUT
    }

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final long MAPPED_POLL_NANOS = 1_000_000;
    private static final String TEMPORARY_PREFIX = "buffer";

    private final SharedArena memory;
    private final MemorySegment segment;
    private final long size;
    private final Path path;
    private final WaiterTable waiters = new WaiterTable();

    private SharedBuffer(String description, Path path, String failure, Mapping mapping) {
        this.path = path;
        this.memory = SharedArena.forOwner(this, description);
        try {
            this.segment = mapping.map(memory.arena());
        } catch (IOException e) {
            memory.free();
            throw new SharedFileException("cannot " + failure + ": " + describe(e), path, e);
        } catch (RuntimeException | Error e) {
            memory.free();
            throw e;
        }
        this.size = segment.byteSize();
    }

    /**
     * Allocates zeroed native memory.
     *
     * @param bytes the size, positive
     * @return the buffer; close it to free the memory
     * @throws IllegalArgumentException if {@code bytes} is not positive
     * @throws OutOfMemoryError if the memory cannot be allocated
     */
    public static SharedBuffer allocate(long bytes) {
        requirePositive(bytes);
        // 64-byte alignment: every aligned int and long offset is aligned in memory too
        return new SharedBuffer("SharedBuffer of " + bytes + " bytes", null, null, arena -> arena.allocate(bytes, 64));
    }

    /**
     * Creates a new file of {@code bytes} zeros and maps it, for other processes to {@link #join}.
     * The file is created atomically with mode {@code rw-------} (whatever the umask), so that no
     * other user can read or change the memory, and never through a symbolic link: if anything
     * exists at {@code path} (a file, a directory, a link, even a dangling one) this fails and
     * leaves it untouched, since a link planted on a predictable path would otherwise choose which
     * file is overwritten. Every block is written out before mapping, so that a full file system
     * fails here rather than killing the JVM with SIGBUS on first touch.
     *
     * @param path where to create the file; nothing may exist there
     * @param bytes the size, positive
     * @return the buffer; close it to unmap (the file stays: delete it when no one will join)
     * @throws SharedFileException if anything exists at {@code path}, or the file cannot be created,
     *     grown or mapped, or the file system lacks the space; a file this call created is deleted
     *     again
     * @throws IllegalArgumentException if {@code bytes} is not positive
     */
    public static SharedBuffer create(Path path, long bytes) {
        Objects.requireNonNull(path, "path");
        requirePositive(bytes);
        return new SharedBuffer("SharedBuffer over " + path, path, "create shared buffer file",
                arena -> MappedFiles.create(path, bytes, arena));
    }

    /**
     * Maps all of an existing file that another buffer {@link #create created}, in this process or
     * another, so that both see the same memory. The file is opened without following a symbolic
     * link, and refused unless it is a regular file owned by this process's user that neither its
     * group nor others may read or write: a file someone else controls could be read or changed
     * behind this process's back. Join once {@code create} has returned; a join that races with a
     * creator still writing the file waits for it.
     *
     * <p>Java cannot read the attributes of an open file, so they are read (without following
     * links) before and after opening and must name the same file: a swap in between takes a user
     * who may rename files of its directory, which a sticky directory such as {@code /tmp} and the
     * directory of {@link #createTemporary} forbid.
     *
     * @param path the file
     * @return the buffer, as large as the file; close it to unmap (the file stays)
     * @throws SharedFileException if the file does not exist, is empty, is refused (the message says
     *     why: a symbolic link, not a regular file, another user's, readable or writable by others),
     *     or cannot be opened or mapped
     */
    public static SharedBuffer join(Path path) {
        Objects.requireNonNull(path, "path");
        return new SharedBuffer("SharedBuffer over " + path, path, "join shared buffer file",
                arena -> MappedFiles.join(path, arena));
    }

    /**
     * Creates a buffer over a new file in a directory private to this user, for other processes of
     * the same user to {@link #join} by its {@link #path()}; the file is deleted when this buffer is
     * closed (or freed unclosed). The directory, {@code parx-<uid>}, lives in
     * {@code $XDG_RUNTIME_DIR} if set, else in {@code java.io.tmpdir}; it is created with mode
     * {@code rwx------}, and reused only while it is still a real directory of this user with
     * exactly that mode. A file's name carries its creator's pid: each call deletes the files left
     * by processes that died without closing theirs.
     *
     * @param bytes the size, positive
     * @return the buffer; close it to unmap and delete the file, once every joiner has joined
     * @throws SharedFileException if the private directory is refused (the message says why and what
     *     to do) or cannot be created, or the file cannot be created, grown or mapped
     * @throws IllegalArgumentException if {@code bytes} is not positive
     */
    public static SharedBuffer createTemporary(long bytes) {
        return createTemporary(bytes, PrivateFiles.temporaryRoot());
    }

    static SharedBuffer createTemporary(long bytes, Path root) {
        requirePositive(bytes);
        Path file;
        try {
            Path directory = PrivateFiles.userDirectory(root);
            PrivateFiles.deleteOrphans(directory, TEMPORARY_PREFIX);
            file = directory.resolve(PrivateFiles.uniqueName(TEMPORARY_PREFIX, ".bin"));
        } catch (IOException e) {
            Path refused = e instanceof FileSystemException fs && fs.getFile() != null ? Path.of(fs.getFile()) : root;
            throw new SharedFileException("cannot create a temporary shared buffer: " + describe(e), refused, e);
        }
        SharedBuffer buffer = create(file, bytes);
        buffer.memory.afterFree(() -> delete(file));
        return buffer;
    }

    /**
     * Returns the size in bytes.
     *
     * @return bytes
     */
    public long byteSize() {
        return size;
    }

    /**
     * Returns the mapped file, or null for allocated memory. For a {@link #createTemporary
     * temporary} buffer, the path that others {@link #join}.
     *
     * @return the path or null
     */
    public Path path() {
        return path;
    }

    /**
     * Returns the memory as a segment, for bulk operations and codecs. Accessing it after
     * {@link #close()} throws {@link IllegalStateException}.
     *
     * @return the segment
     * @throws IllegalStateException if closed
     */
    public MemorySegment asSegment() {
        open();
        return segment;
    }

    /**
     * Reads a byte.
     *
     * @param offset the byte offset
     * @return the value
     */
    public byte getByte(long offset) {
        return segment(offset, 1).get(ValueLayout.JAVA_BYTE, offset);
    }

    /**
     * Writes a byte.
     *
     * @param offset the byte offset
     * @param value the value
     */
    public void setByte(long offset, byte value) {
        segment(offset, 1).set(ValueLayout.JAVA_BYTE, offset, value);
    }

    /**
     * Reads an int in native byte order; any offset.
     *
     * @param offset the byte offset
     * @return the value
     */
    public int getInt(long offset) {
        return segment(offset, 4).get(ValueLayout.JAVA_INT_UNALIGNED, offset);
    }

    /**
     * Writes an int in native byte order; any offset.
     *
     * @param offset the byte offset
     * @param value the value
     */
    public void setInt(long offset, int value) {
        segment(offset, 4).set(ValueLayout.JAVA_INT_UNALIGNED, offset, value);
    }

    /**
     * Reads a long in native byte order; any offset.
     *
     * @param offset the byte offset
     * @return the value
     */
    public long getLong(long offset) {
        return segment(offset, 8).get(ValueLayout.JAVA_LONG_UNALIGNED, offset);
    }

    /**
     * Writes a long in native byte order; any offset.
     *
     * @param offset the byte offset
     * @param value the value
     */
    public void setLong(long offset, long value) {
        segment(offset, 8).set(ValueLayout.JAVA_LONG_UNALIGNED, offset, value);
    }

    /**
     * Reads a double in native byte order; any offset.
     *
     * @param offset the byte offset
     * @return the value
     */
    public double getDouble(long offset) {
        return segment(offset, 8).get(ValueLayout.JAVA_DOUBLE_UNALIGNED, offset);
    }

    /**
     * Writes a double in native byte order; any offset.
     *
     * @param offset the byte offset
     * @param value the value
     */
    public void setDouble(long offset, double value) {
        segment(offset, 8).set(ValueLayout.JAVA_DOUBLE_UNALIGNED, offset, value);
    }

    /**
     * Copies bytes out of the buffer.
     *
     * @param offset where to start reading
     * @param target where to copy to
     * @param targetOffset the first index of {@code target} to write
     * @param length how many bytes
     */
    public void getBytes(long offset, byte[] target, int targetOffset, int length) {
        Objects.checkFromIndexSize(targetOffset, length, target.length);
        MemorySegment.copy(segment(offset, length), ValueLayout.JAVA_BYTE, offset, target, targetOffset, length);
    }

    /**
     * Copies bytes into the buffer.
     *
     * @param offset where to start writing
     * @param source where to copy from
     * @param sourceOffset the first index of {@code source} to read
     * @param length how many bytes
     */
    public void setBytes(long offset, byte[] source, int sourceOffset, int length) {
        Objects.checkFromIndexSize(sourceOffset, length, source.length);
        MemorySegment.copy(source, sourceOffset, segment(offset, length), ValueLayout.JAVA_BYTE, offset, length);
    }

    /**
     * Reads an int with volatile semantics.
     *
     * @param offset a byte offset, a multiple of 4
     * @return the value
     */
    public int getIntVolatile(long offset) {
        return (int) INT.getVolatile(aligned(offset, 4), offset);
    }

    /**
     * Writes an int with volatile semantics.
     *
     * @param offset a byte offset, a multiple of 4
     * @param value the value
     */
    public void setIntVolatile(long offset, int value) {
        INT.setVolatile(aligned(offset, 4), offset, value);
    }

    /**
     * Writes an int with release semantics: earlier writes are visible to a thread that reads this
     * value with {@link #getIntVolatile}.
     *
     * @param offset a byte offset, a multiple of 4
     * @param value the value
     */
    public void setIntRelease(long offset, int value) {
        INT.setRelease(aligned(offset, 4), offset, value);
    }

    /**
     * Adds to an int atomically.
     *
     * @param offset a byte offset, a multiple of 4
     * @param delta what to add
     * @return the value before
     */
    public int getAndAddInt(long offset, int delta) {
        return (int) INT.getAndAdd(aligned(offset, 4), offset, delta);
    }

    /**
     * Sets an int atomically if it holds {@code expected}.
     *
     * @param offset a byte offset, a multiple of 4
     * @param expected the value it must hold
     * @param value the new value
     * @return true if it was set
     */
    public boolean compareAndSetInt(long offset, int expected, int value) {
        return INT.compareAndSet(aligned(offset, 4), offset, expected, value);
    }

    /**
     * Reads a long with volatile semantics.
     *
     * @param offset a byte offset, a multiple of 8
     * @return the value
     */
    public long getLongVolatile(long offset) {
        return (long) LONG.getVolatile(aligned(offset, 8), offset);
    }

    /**
     * Writes a long with volatile semantics.
     *
     * @param offset a byte offset, a multiple of 8
     * @param value the value
     */
    public void setLongVolatile(long offset, long value) {
        LONG.setVolatile(aligned(offset, 8), offset, value);
    }

    /**
     * Writes a long with release semantics.
     *
     * @param offset a byte offset, a multiple of 8
     * @param value the value
     */
    public void setLongRelease(long offset, long value) {
        LONG.setRelease(aligned(offset, 8), offset, value);
    }

    /**
     * Adds to a long atomically.
     *
     * @param offset a byte offset, a multiple of 8
     * @param delta what to add
     * @return the value before
     */
    public long getAndAddLong(long offset, long delta) {
        return (long) LONG.getAndAdd(aligned(offset, 8), offset, delta);
    }

    /**
     * Sets a long atomically if it holds {@code expected}.
     *
     * @param offset a byte offset, a multiple of 8
     * @param expected the value it must hold
     * @param value the new value
     * @return true if it was set
     */
    public boolean compareAndSetLong(long offset, long expected, long value) {
        return LONG.compareAndSet(aligned(offset, 8), offset, expected, value);
    }

    /**
     * Waits while the int at {@code offset} holds {@code expected}, until {@link #notify} wakes this
     * thread or the timeout passes ({@code Atomics.wait}). The check and the enqueueing are atomic
     * with respect to {@code notify}: a writer that changes the value, then notifies, never misses a
     * waiter that saw the old value.
     *
     * @param offset a byte offset, a multiple of 4
     * @param expected the value to wait on
     * @param timeout the longest wait
     * @return {@link WaitResult#NOT_EQUAL} at once if the value differs, else {@link WaitResult#OK}
     *     when woken or {@link WaitResult#TIMED_OUT}
     * @throws InterruptedException if interrupted while waiting
     */
    public WaitResult waitFor(long offset, int expected, Duration timeout) throws InterruptedException {
        MemorySegment memory = aligned(offset, 4);
        return waitFor(offset, () -> (int) INT.getVolatile(memory, offset) == expected, timeout,
                futexSleeper(offset, expected));
    }

    /**
     * Like {@link #waitFor(long, int, Duration)} for the long at {@code offset}.
     *
     * @param offset a byte offset, a multiple of 8
     * @param expected the value to wait on
     * @param timeout the longest wait
     * @return how the wait ended
     * @throws InterruptedException if interrupted while waiting
     */
    public WaitResult waitForLong(long offset, long expected, Duration timeout) throws InterruptedException {
        MemorySegment memory = aligned(offset, 8);
        // the futex watches the long's low-order half: a change of the other half alone is polled
        boolean littleEndian = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
        return waitFor(offset, () -> (long) LONG.getVolatile(memory, offset) == expected, timeout,
                futexSleeper(littleEndian ? offset : offset + 4, (int) expected));
    }

    /**
     * Wakes up to {@code count} threads of this JVM waiting on {@code offset} through this buffer,
     * oldest first ({@code Atomics.notify}). For a mapped buffer where futexes work (see the class
     * comment), it also wakes every waiter on the int at {@code offset} of every process that maps
     * the file, whatever {@code count} (they are not counted), with one system call; elsewhere
     * waiters of other processes poll.
     *
     * @param offset a byte offset, a multiple of 4
     * @param count the most to wake; {@link Integer#MAX_VALUE} for all
     * @return how many were woken
     * @throws IllegalArgumentException if {@code count} is negative
     */
    public int notify(long offset, int count) {
        aligned(offset, 4);
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
        int woken = waiters.notify(offset, count);
        if (path != null && Futex.AVAILABLE) {
            Futex.wake(segment.address() + offset);   // waiters of every process that maps the file
        }
        return woken;
    }

    /**
     * Frees the memory, or unmaps the file (and deletes it, for a {@link #createTemporary temporary}
     * buffer). Threads in {@link #waitFor} are woken and get
     * {@link IllegalStateException}. Idempotent; any thread.
     */
    @Override
    public void close() {
        memory.free();
        waiters.notifyEveryone();
    }

    /**
     * Returns whether {@link #close()} was called.
     *
     * @return true if closed
     */
    public boolean isClosed() {
        return memory.isFreed();
    }

    @Override
    public String toString() {
        return (path == null ? "SharedBuffer(" + size + " bytes" : "SharedBuffer(" + path + ", " + size + " bytes")
                + (isClosed() ? ", closed)" : ")");
    }

    /** Maps a buffer's memory into its arena. */
    @FunctionalInterface
    private interface Mapping {
        MemorySegment map(Arena arena) throws IOException;
    }

    private static void requirePositive(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("a shared buffer needs at least 1 byte, got " + bytes);
        }
    }

    private static String describe(IOException e) {
        return switch (e) {
            case NoSuchFileException missing -> missing.getFile() + ": no such file";
            case AccessDeniedException denied -> denied.getFile() + ": permission denied";
            default -> e.getMessage();
        };
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the temporary file " + file, e);
        }
    }

    /** For a mapped buffer where futexes work, sleeps between polls in a futex wait on the int at {@code offset}. */
    private WaiterTable.Sleeper futexSleeper(long offset, int expected) {
        if (path == null || !Futex.AVAILABLE) {
            return null;
        }
        long address = segment.address() + offset;
        return nanos -> Futex.await(address, expected, nanos);
    }

    private WaitResult waitFor(long offset, BooleanSupplier stillExpected, Duration timeout,
            WaiterTable.Sleeper sleeper) throws InterruptedException {
        long poll = path == null ? 0 : MAPPED_POLL_NANOS;
        try {
            WaiterTable.Outcome outcome = waiters.await(offset, stillExpected, Math.max(0, timeout.toNanos()), poll,
                    sleeper);
            open();   // woken by close()
            return switch (outcome) {
                case WOKEN -> WaitResult.OK;
                case NOT_EQUAL -> WaitResult.NOT_EQUAL;
                case TIMED_OUT -> WaitResult.TIMED_OUT;
            };
        } catch (IllegalStateException e) {
            throw closed(e);
        }
    }

    private MemorySegment segment(long offset, long length) {
        open();
        Objects.checkFromIndexSize(offset, length, size);
        return segment;
    }

    private MemorySegment aligned(long offset, int alignment) {
        if ((offset & (alignment - 1)) != 0) {
            throw new IllegalArgumentException("offset " + offset + " is not a multiple of " + alignment
                    + ": atomic and volatile " + (alignment == 4 ? "int" : "long") + " access needs an aligned offset");
        }
        return segment(offset, alignment);
    }

    private void open() {
        if (memory.isFreed()) {
            throw closed(null);
        }
    }

    private IllegalStateException closed(IllegalStateException cause) {
        return new IllegalStateException("the " + this + " is closed", cause);
    }
}
