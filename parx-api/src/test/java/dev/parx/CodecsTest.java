package dev.parx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CodecsTest {

    private static <T> T roundTrip(Codec<T> codec, T value) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = arena.allocate(Math.max(1, codec.encodedSize(value)));
            MemorySegment exact = segment.asSlice(0, codec.encodedSize(value));
            codec.encode(value, exact);
            return codec.decode(exact);
        }
    }

    @Test
    void stringsRoundTripAndTheirSizeIsTheUtf8Length() {
        for (String s : List.of("", "ascii", "é", "€uro", "𝄞 clef", "mixed 日本語 text 🎉")) {
            assertEquals(s, roundTrip(Codecs.strings(), s));
            assertEquals(s.getBytes(StandardCharsets.UTF_8).length, Codecs.strings().encodedSize(s), s);
        }
    }

    @Test
    void anUnpairedSurrogateTakesTheOneByteItIsEncodedAs() {
        String broken = "a\uD800b";
        assertEquals(broken.getBytes(StandardCharsets.UTF_8).length, Codecs.strings().encodedSize(broken));
        assertEquals("a?b", roundTrip(Codecs.strings(), broken));
    }

    @Test
    void bytesLongsAndBuffersRoundTrip() {
        byte[] bytes = {0, 1, -1, 127, -128};
        assertArrayEquals(bytes, roundTrip(Codecs.bytes(), bytes));
        assertEquals(Long.MIN_VALUE, roundTrip(Codecs.longs(), Long.MIN_VALUE));
        ByteBuffer buffer = ByteBuffer.wrap(new byte[] {9, 8, 7, 6}).position(1);
        assertEquals(ByteBuffer.wrap(new byte[] {8, 7, 6}), roundTrip(Codecs.byteBuffers(), buffer));
        assertEquals(1, buffer.position(), "encoding leaves the buffer's position alone");
    }

    @Test
    void aLongDecodedFromTheWrongNumberOfBytesIsRefused() {
        MemorySegment three = MemorySegment.ofArray(new byte[3]);
        assertThrows(IllegalArgumentException.class, () -> Codecs.longs().decode(three));
    }
}
