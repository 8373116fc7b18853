package dev.parx;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Factories for the common {@link Codec}s. Each returned codec is stateless and thread-safe. */
public final class Codecs {

    private static final Codec<byte[]> BYTES = new Codec<>() {
        @Override
        public int encodedSize(byte[] value) {
            return value.length;
        }

        @Override
        public void encode(byte[] value, MemorySegment target) {
            MemorySegment.copy(value, 0, target, ValueLayout.JAVA_BYTE, 0, value.length);
        }

        @Override
        public byte[] decode(MemorySegment source) {
            return source.toArray(ValueLayout.JAVA_BYTE);
        }

        @Override
        public void encode(byte[] value, MemorySegment target, long offset, int length) {
            MemorySegment.copy(value, 0, target, ValueLayout.JAVA_BYTE, offset, length);
        }

        @Override
        public byte[] decode(MemorySegment source, long offset, int length) {
            byte[] value = new byte[length];
            MemorySegment.copy(source, ValueLayout.JAVA_BYTE, offset, value, 0, length);
            return value;
        }
    };

    private static final Codec<String> STRINGS = new Codec<>() {
        @Override
        public int encodedSize(String value) {
            return utf8Length(value);
        }

        @Override
        public void encode(String value, MemorySegment target) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            MemorySegment.copy(bytes, 0, target, ValueLayout.JAVA_BYTE, 0, bytes.length);
        }

        @Override
        public String decode(MemorySegment source) {
            return new String(source.toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
        }

        @Override
        public void encode(String value, MemorySegment target, long offset, int length) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            MemorySegment.copy(bytes, 0, target, ValueLayout.JAVA_BYTE, offset, length);
        }

        @Override
        public String decode(MemorySegment source, long offset, int length) {
            return new String(BYTES.decode(source, offset, length), StandardCharsets.UTF_8);
        }
    };

    private static final Codec<ByteBuffer> BYTE_BUFFERS = new Codec<>() {
        @Override
        public int encodedSize(ByteBuffer value) {
            return value.remaining();
        }

        @Override
        public void encode(ByteBuffer value, MemorySegment target) {
            target.copyFrom(MemorySegment.ofBuffer(value));
        }

        @Override
        public ByteBuffer decode(MemorySegment source) {
            return ByteBuffer.wrap(source.toArray(ValueLayout.JAVA_BYTE));
        }
    };

    private static final Codec<Long> LONGS = new Codec<>() {
        @Override
        public int encodedSize(Long value) {
            return Long.BYTES;
        }

        @Override
        public void encode(Long value, MemorySegment target) {
            target.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, value);
        }

        @Override
        public Long decode(MemorySegment source) {
            return decode(source, 0, (int) Math.min(Integer.MAX_VALUE, source.byteSize()));
        }

        @Override
        public void encode(Long value, MemorySegment target, long offset, int length) {
            target.set(ValueLayout.JAVA_LONG_UNALIGNED, offset, value);
        }

        @Override
        public Long decode(MemorySegment source, long offset, int length) {
            if (length != Long.BYTES) {
                throw new IllegalArgumentException("a long takes 8 bytes, got " + length);
            }
            return source.get(ValueLayout.JAVA_LONG_UNALIGNED, offset);
        }
    };

    private Codecs() {
    }

    /**
     * Returns a codec that copies byte arrays as they are.
     *
     * @return the codec
     */
    public static Codec<byte[]> bytes() {
        return BYTES;
    }

    /**
     * Returns a codec for strings as UTF-8. Unpaired surrogates become {@code '?'}.
     *
     * @return the codec
     */
    public static Codec<String> strings() {
        return STRINGS;
    }

    /**
     * Returns a codec for the remaining bytes of a buffer; encoding does not move the buffer's
     * position, decoding returns a new heap buffer.
     *
     * @return the codec
     */
    public static Codec<ByteBuffer> byteBuffers() {
        return BYTE_BUFFERS;
    }

    /**
     * Returns a codec for longs as 8 bytes in native order.
     *
     * @return the codec
     */
    public static Codec<Long> longs() {
        return LONGS;
    }

    private static int utf8Length(String value) {
        int length = value.length();
        int bytes = length;
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    bytes += 1;
                } else if (Character.isHighSurrogate(c) && i + 1 < length
                        && Character.isLowSurrogate(value.charAt(i + 1))) {
                    bytes += 2;  // four bytes for the pair of two chars
                    i++;
                } else {
                    // a BMP char takes three bytes; an unpaired surrogate becomes '?' (one byte)
                    bytes += Character.isSurrogate(c) ? 0 : 2;
                }
            }
        }
        return bytes;
    }
}
