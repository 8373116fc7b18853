package dev.parx.threads.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * A ring of variable-length records in one native segment: the storage and the counters of an
 * off-heap channel, without any waiting (that is {@code OffHeapChannel}'s job).
 *
 * <p>Layout: {@code capacity} bytes of records (a power of two), then a trailer of 128-byte blocks,
 * one per counter, so that the counters the sender writes and those the receiver writes never share
 * a cache line (128 bytes also covers the adjacent-line prefetcher of x86).
 *
 * <p>A record is an 8-byte header, {@code int length} (header plus payload, 0 while not committed)
 * then {@code int type}, followed by the payload, and starts on an 8-byte boundary. A record never
 * wraps: when it would not fit before the end of the ring, a padding record fills the rest and the
 * record starts at index 0.
 *
 * <p>Positions ({@code head}, {@code tail}) are byte counts since creation that only grow; the index
 * in the ring is {@code position & mask}. Subclasses decide how a record is claimed and committed.
 *
 * <p>Not sealed, so that the tests of this package can check copies of a subclass with one memory
 * ordering broken on purpose; the constructor is package-private, so nothing outside it extends.
 */
public abstract class Ring {

    /** Bytes of a record header. */
    public static final int HEADER = 8;
    /** Alignment of every record. */
    public static final int ALIGNMENT = 8;
    /** Smallest ring. */
    public static final int MIN_CAPACITY = 64;
    /** Largest ring: positions are longs, but record indexes are ints. */
    public static final int MAX_CAPACITY = 1 << 30;

    static final int TYPE_MESSAGE = 1;
    static final int TYPE_PADDING = 2;

    private static final int BLOCK = 128;
    // trailer block numbers, each BLOCK bytes after the records
    static final int TAIL = BLOCK;                   // written by senders
    static final int HEAD_CACHE = 2 * BLOCK;         // senders' last view of head
    static final int HEAD = 3 * BLOCK;               // written by the receiver
    private static final int TRAILER = 5 * BLOCK;

    /** {@link #tryClaim} found the ring closed to senders. */
    public static final long CLOSED = -2;
    /** {@link #tryClaim} found no room. */
    public static final long FULL = -1;

    // set in tail by closeToSenders (mpsc); positions never get near 2^62 bytes
    static final long CLOSED_BIT = 1L << 62;

    static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    final MemorySegment segment;
    final int capacity;
    final int mask;
    private final int maxPayload;

    Ring(Arena arena, int capacity) {
        if (Integer.bitCount(capacity) != 1 || capacity < MIN_CAPACITY || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("ring capacity must be a power of two in ["
                    + MIN_CAPACITY + ", " + MAX_CAPACITY + "], got " + capacity);
        }
        this.segment = arena.allocate(capacity + TRAILER, BLOCK);   // zeroed by the arena
        this.capacity = capacity;
        this.mask = capacity - 1;
        // Half the ring: an empty ring can then always take the largest record, wherever its
        // tail stands, so a sender of a legal message never waits for a state that cannot come.
        this.maxPayload = capacity / 2 - HEADER;
    }

    /**
     * Returns the smallest legal capacity that holds {@code requested} bytes.
     *
     * @param requested the capacity asked for
     * @return a power of two in [{@link #MIN_CAPACITY}, {@link #MAX_CAPACITY}]
     */
    public static int capacityFor(long requested) {
        if (requested <= 0 || requested > MAX_CAPACITY) {
            throw new IllegalArgumentException("capacityBytes must be in [1, " + MAX_CAPACITY + "], got " + requested);
        }
        int size = (int) requested;
        int rounded = Integer.bitCount(size) == 1 ? size : Integer.highestOneBit(size) << 1;
        return Math.max(MIN_CAPACITY, rounded);
    }

    /**
     * Returns the bytes of records, header included, that a payload of {@code length} takes.
     *
     * @param length the payload length
     * @return the aligned record length
     */
    static int recordLength(int length) {
        return align(HEADER + length);
    }

    static int align(int length) {
        return (length + ALIGNMENT - 1) & -ALIGNMENT;
    }

    /**
     * Returns the ring's capacity in bytes.
     *
     * @return the capacity
     */
    public final int capacity() {
        return capacity;
    }

    /**
     * Returns the largest payload a record may carry.
     *
     * @return bytes
     */
    public final int maxPayload() {
        return maxPayload;
    }

    /**
     * Returns the whole segment; payloads start {@link #HEADER} bytes after a record index.
     *
     * @return the segment
     */
    public final MemorySegment segment() {
        return segment;
    }

    /**
     * Checks a payload length against {@link #maxPayload()}.
     *
     * @param length the payload length
     * @throws IllegalArgumentException if it can never fit
     */
    public final void checkPayload(int length) {
        if (length < 0 || length > maxPayload) {
            throw new IllegalArgumentException("a message of " + length + " bytes can never fit: this channel ("
                    + capacity + " bytes) takes messages of at most " + maxPayload
                    + " bytes (half the ring, less an 8-byte header); create it with a larger capacity");
        }
    }

    /**
     * Claims room for a record. Sender side.
     *
     * @param length payload length, already checked
     * @return the record index, {@link #FULL} if the ring has no room now, or {@link #CLOSED} if
     *     {@link #closeToSenders()} won the race
     */
    public abstract long tryClaim(int length);

    /**
     * Makes every later {@link #tryClaim} return {@link #CLOSED}, atomically with respect to claims
     * where the ring supports it (mpsc); claims that won before it stay valid and must be committed
     * or aborted. Any thread.
     *
     * @return true if later claims are refused atomically; false if the caller must rely on its own
     *     closed flag (spsc, whose single sender writes tail without CAS)
     */
    public abstract boolean closeToSenders();

    /**
     * Publishes a claimed record to the receiver with a release store. Sender side.
     *
     * @param index the record index from {@link #tryClaim}
     * @param length the payload length given to {@link #tryClaim}
     */
    public abstract void commit(long index, int length);

    /**
     * Gives up a claimed record; the receiver will skip it. Sender side.
     *
     * @param index the record index from {@link #tryClaim}
     * @param length the payload length given to {@link #tryClaim}
     */
    public abstract void abort(long index, int length);

    /**
     * Returns the head position at which a sender that found no room for {@code length} bytes
     * would like to be woken: once the record fits with a quarter of the ring to spare, so that it
     * does not wake for every record the receiver takes, but no later than the tail of now, which
     * the receiver reaches by taking what is already claimed. Sender side.
     *
     * @param length payload length
     * @return a head position
     */
    public final long wakePosition(int length) {
        long tail = senderTail();
        return Math.min(fitPosition(tail, length) + capacity / 4, tail);
    }

    /**
     * Returns the head position from which a record of {@code length} bytes fits. Sender side.
     *
     * @param length payload length
     * @return a head position
     */
    public final long fitPosition(int length) {
        return fitPosition(senderTail(), length);
    }

    private long fitPosition(long tail, int length) {
        int required = recordLength(length);
        int toEnd = capacity - ((int) tail & mask);
        int padding = required > toEnd ? toEnd : 0;
        return tail + required + padding - capacity;
    }

    /**
     * Returns the tail as a sender sees it, without flags. Sender side.
     *
     * @return the tail position
     */
    abstract long senderTail();

    /**
     * Returns the index of the next committed message, skipping padding. Receiver side.
     *
     * @return the record index, or -1 if none is committed
     */
    public abstract long next();

    /**
     * Returns whether a committed record (message or padding) is waiting. Receiver side.
     *
     * @return true if {@link #next()} may find a message
     */
    public abstract boolean hasCommitted();

    /**
     * Frees the record at {@code index}, which {@link #next()} returned, for senders. Receiver side.
     *
     * @param index the record index
     * @return the head position after it
     */
    public abstract long consume(long index);

    /**
     * Returns the receiver's head position. Receiver side.
     *
     * @return the position up to which records were taken
     */
    public abstract long receiverHead();

    /**
     * Returns whether nothing is committed or in flight: head has reached tail.
     *
     * @return true if empty
     */
    public final boolean isEmpty() {
        long tail = (long) LONG.getVolatile(segment, (long) capacity + TAIL) & ~CLOSED_BIT;
        return (long) LONG.getAcquire(segment, (long) capacity + HEAD) == tail;
    }

    /**
     * Returns the payload length of the record at {@code index}.
     *
     * @param index a record index from {@link #next()}
     * @return bytes
     */
    public final int payloadLength(long index) {
        return segment.get(ValueLayout.JAVA_INT, index) - HEADER;
    }

    /**
     * Returns the head position the receiver published, with an acquire load. Any thread.
     *
     * @return the position up to which records were taken and freed
     */
    public final long headPosition() {
        return (long) LONG.getAcquire(segment, (long) capacity + HEAD);
    }

    final void writeHeaderType(long index, int type) {
        INT.set(segment, index + 4, type);
    }

    final int readType(long index) {
        return (int) INT.get(segment, index + 4);
    }
}
