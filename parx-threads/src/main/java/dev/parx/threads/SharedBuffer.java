package dev.parx.threads;

import dev.parx.threads.internal.MappedFiles;
import dev.parx.threads.internal.SharedArena;
import dev.parx.threads.internal.WaiterTable;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * A block of memory outside the Java heap that threads read and write in place: the JVM's
 * {@code SharedArrayBuffer} with {@code Atomics}. {@link #map(Path, long)} puts it over a
 * memory-mapped file, so that other JVMs that map the same file see the same bytes.
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
 * {@code SharedBuffer} object. Another process (or another {@code SharedBuffer} over the same
 * file) cannot reach this JVM's waiters, so a mapped buffer's {@code waitFor} also polls the value,
 * with a backoff from 1 microsecond up to 1 millisecond, and returns {@link WaitResult#OK} when it
 * sees the value change.
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

    private final SharedArena memory;
    private final MemorySegment segment;
    private final long size;
    private final Path path;
    private final WaiterTable waiters = new WaiterTable();

    private SharedBuffer(long bytes, Path path) throws IOException {
        if (bytes <= 0) {
            throw new IllegalArgumentException("a shared buffer needs at least 1 byte, got " + bytes);
        }
        this.path = path;
        this.size = bytes;
        this.memory = SharedArena.forOwner(this, path == null ? "SharedBuffer of " + bytes + " bytes" : "SharedBuffer over " + path);
        try {
            // 64-byte alignment: every aligned int and long offset is aligned in memory too
            this.segment = path == null ? memory.arena().allocate(bytes, 64) : MappedFiles.map(path, bytes, memory.arena());
        } catch (IOException | RuntimeException | Error e) {
            memory.free();
            throw e;
        }
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
        try {
            return new SharedBuffer(bytes, null);
        } catch (IOException cannotHappen) {
            throw new AssertionError(cannotHappen);
        }
    }

    /**
     * Maps the first {@code bytes} of a file, creating it if needed. A file shorter than that is
     * grown with zeros, every block written out before mapping (so that a full file system fails
     * here, with a clear {@link IOException}, rather than killing the JVM with SIGBUS on first touch),
     * under an exclusive lock, so two processes may map the same new file at once.
     *
     * @param path the file
     * @param bytes the size to map, positive
     * @return the buffer; close it to unmap (the file stays)
     * @throws IOException if the file cannot be created, grown or mapped, or the file system lacks
     *     the space
     * @throws IllegalArgumentException if {@code bytes} is not positive
     */
    public static SharedBuffer map(Path path, long bytes) throws IOException {
        return new SharedBuffer(bytes, Objects.requireNonNull(path, "path"));
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
     * Returns the mapped file, or null for allocated memory.
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
        return waitFor(offset, () -> (int) INT.getVolatile(memory, offset) == expected, timeout);
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
        return waitFor(offset, () -> (long) LONG.getVolatile(memory, offset) == expected, timeout);
    }

    /**
     * Wakes up to {@code count} threads of this JVM waiting on {@code offset} through this buffer,
     * oldest first ({@code Atomics.notify}). Waiters in other processes poll and need no notify.
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
        return waiters.notify(offset, count);
    }

    /**
     * Frees the memory, or unmaps the file. Threads in {@link #waitFor} are woken and get
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

    private WaitResult waitFor(long offset, BooleanSupplier stillExpected, Duration timeout)
            throws InterruptedException {
        long poll = path == null ? 0 : MAPPED_POLL_NANOS;
        try {
            WaiterTable.Outcome outcome = waiters.await(offset, stillExpected, Math.max(0, timeout.toNanos()), poll);
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
