package dev.parx.threads.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The padding of the rings' Java objects holds only if every per-side field is a long: HotSpot lays
 * out fields by size, and puts a narrower field in the gap after the object header, on the cache
 * line of the fields that both sides read. A receiver that wrote such a field with every message
 * made every send miss that line.
 */
class RingLayoutTest {

    @Test
    void everyInstanceFieldOfTheRingsIsALongBetweenThePaddings() {
        for (Class<?> ring : List.of(SpscRing.class, MpscRing.class)) {
            List<String> notLong = Arrays.stream(ring.getDeclaredFields())
                    .filter(field -> !Modifier.isStatic(field.getModifiers()))
                    .filter(field -> field.getType() != long.class)
                    .map(Field::getName)
                    .toList();
            assertEquals(List.of(), notLong, ring.getSimpleName() + " has instance fields that are not longs");
        }
    }
}
