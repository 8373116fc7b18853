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
}
