package dev.parx.threads.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A padding record is freed together with the message after it: a receiver that has skipped the
 * padding but not yet taken the message must not show senders the padding's room, or a concurrent
 * {@code trySend} sees a receive half done (Lincheck found a history that no order of whole
 * operations explains: a send that fitted only thanks to the padding, then one that did not fit
 * although the message after it had been taken).
 */
class RingPaddingTest {

    static Stream<BiFunction<Arena, Integer, Ring>> rings() {
        return Stream.of(SpscRing::new, MpscRing::new);
    }

    @ParameterizedTest
    @MethodSource("rings")
    void paddingIsFreedWithTheMessageAfterIt(BiFunction<Arena, Integer, Ring> kind) {
        try (Arena arena = Arena.ofConfined()) {
            Ring ring = kind.apply(arena, 64);
            assertTrue(RingMessages.trySend(ring, 5));     // a record of 32 bytes: [0, 32)
            assertEquals(5, RingMessages.poll(ring));
            assertTrue(RingMessages.trySend(ring, 6));     // 16 bytes: [32, 48)
            assertTrue(RingMessages.trySend(ring, 4));     // 24 bytes do not fit in [48, 64): padding, then [0, 24)
            assertEquals(6, RingMessages.poll(ring));
            assertEquals(48, ring.headPosition());

            long index = ring.next();                      // skips the padding
            assertEquals(0, index);
            assertEquals(48, ring.headPosition(), "the padding was freed before its message was taken");
            ring.consume(index);
            assertEquals(88, ring.headPosition());
            assertTrue(ring.isEmpty());
        }
    }

    @Test
    void anAbortedLastRecordIsFreedWhenTheReceiverSkipsIt() {
        try (Arena arena = Arena.ofConfined()) {
            Ring ring = new MpscRing(arena, 64);
            long index = ring.tryClaim(12);
            ring.abort(index, 12);
            assertEquals(-1, ring.next());
            assertEquals(24, ring.headPosition());
            assertTrue(ring.isEmpty());
        }
    }
}
