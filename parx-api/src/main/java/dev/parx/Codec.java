package dev.parx;

import java.lang.foreign.MemorySegment;

/**
 * Turns values into bytes and back, for off-heap rings, mapped files and wire frames.
 *
 * <p>A codec must be stateless and thread-safe: channels call it from several threads at once.
 * {@code decode(encode(v))} must equal {@code v}. Ready-made codecs are in {@link Codecs}.
 *
 * @param <T> the value type
 */
public interface Codec<T> {

    /**
     * Returns the exact number of bytes {@link #encode} will write for this value.
     *
     * @param value the value, not null
     * @return the encoded size in bytes
     */
    int encodedSize(T value);

    /**
     * Writes the value into {@code target}, which is exactly {@link #encodedSize(Object)} bytes
     * long. The segment is valid only during this call.
     *
     * @param value the value, not null
     * @param target where to write
     */
    void encode(T value, MemorySegment target);

    /**
     * Reads a value from {@code source}, which holds exactly the bytes one {@link #encode} wrote.
     * The segment is valid only during this call: copy what must outlive it.
     *
     * @param source the encoded bytes
     * @return the value
     */
    T decode(MemorySegment source);

    /**
     * Writes the value into {@code length} bytes of {@code target} from {@code offset}: the same
     * bytes as {@link #encode(Object, MemorySegment)}, without making a slice first. Rings call this
     * on their hot path; the default makes the slice, and the codecs of {@link Codecs} write in place.
     *
     * @param value the value, not null
     * @param target the segment to write into
     * @param offset where the value starts
     * @param length {@link #encodedSize(Object)} of the value
     */
    default void encode(T value, MemorySegment target, long offset, int length) {
        encode(value, target.asSlice(offset, length));
    }

    /**
     * Reads a value from {@code length} bytes of {@code source} from {@code offset}, as
     * {@link #decode(MemorySegment)} does from a slice of exactly those bytes.
     *
     * @param source the segment holding the encoded bytes
     * @param offset where they start
     * @param length how many there are
     * @return the value
     */
    default T decode(MemorySegment source, long offset, int length) {
        return decode(source.asSlice(offset, length));
    }
}
