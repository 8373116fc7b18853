package dev.parx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The offset-based encode and decode write and read the same bytes as the slice-based ones. */
class CodecOffsetsTest {

    private static <T> void assertSameBytes(Codec<T> codec, T value) {
        int size = codec.encodedSize(value);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bySlice = arena.allocate(size + 16);
            MemorySegment byOffset = arena.allocate(size + 16);
            codec.encode(value, bySlice.asSlice(5, size));
            codec.encode(value, byOffset, 5, size);
            assertArrayEquals(bySlice.toArray(ValueLayout.JAVA_BYTE), byOffset.toArray(ValueLayout.JAVA_BYTE));
            assertEquals(codec.decode(bySlice.asSlice(5, size)), codec.decode(byOffset, 5, size));
        }
    }

    @Test
    void standardCodecsAgreeWithThemselves() {
        assertSameBytes(Codecs.strings(), "grüße \uD83D\uDE00");
        assertSameBytes(Codecs.longs(), -42L);
        assertSameBytes(Codecs.byteBuffers(), ByteBuffer.wrap(new byte[] {1, 2, 3}));
        byte[] bytes = {9, 8, 7};
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = arena.allocate(16);
            Codecs.bytes().encode(bytes, segment, 3, 3);
            assertArrayEquals(bytes, Codecs.bytes().decode(segment, 3, 3));
        }
    }

    @Test
    void aUserCodecGetsTheDefaultsForFree() {
        Codec<Integer> ints = new Codec<>() {
            @Override
            public int encodedSize(Integer value) {
                return 4;
            }

            @Override
            public void encode(Integer value, MemorySegment target) {
                target.set(ValueLayout.JAVA_INT_UNALIGNED, 0, value);
            }

            @Override
            public Integer decode(MemorySegment source) {
                return source.get(ValueLayout.JAVA_INT_UNALIGNED, 0);
            }
        };
        assertSameBytes(ints, 123_456);
    }

    @Test
    void aLongNeedsEightBytes() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = arena.allocate(16);
            assertThrows(IllegalArgumentException.class, () -> Codecs.longs().decode(segment, 0, 4));
            assertThrows(IllegalArgumentException.class, () -> Codecs.longs().decode(segment.asSlice(0, 4)));
        }
    }
}
