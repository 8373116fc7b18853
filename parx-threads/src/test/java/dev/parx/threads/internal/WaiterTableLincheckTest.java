package dev.parx.threads.internal;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parx.threads.SharedBuffer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import kotlin.Unit;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.lincheck.LincheckAssertionError;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * No lost notify between {@link SharedBuffer#waitFor} and {@link SharedBuffer#notify}, by
 * Lincheck's model checking of one waiter racing one writer that stores and notifies: in every
 * interleaving the waiter either sees the new value or is woken; one that parks for good is
 * reported as a deadlock. The value itself lives in native memory, which model checking does not
 * see; the interleavings that matter are at {@link WaiterTable}'s lock, which it does.
 */
@Tag("proofs")
class WaiterTableLincheckTest {

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final Duration FOREVER = Duration.ofHours(1);

    /** The operations, on a fresh {@link SharedBuffer}. */
    public static class Buffer {
        final SharedBuffer buffer = SharedBuffer.allocate(8);

        public String await() throws InterruptedException {
            SharedBuffer.WaitResult result = buffer.waitFor(0, 0, FOREVER);
            return result == SharedBuffer.WaitResult.OK ? "WOKEN" : result.name();
        }

        public int store() {
            buffer.setIntVolatile(0, 1);
            buffer.notify(0, Integer.MAX_VALUE);
            return 0;
        }
    }

    /** The same protocol over the broken copy of the waiter table. */
    public static class BrokenTable {
        final MemorySegment value = Arena.ofAuto().allocate(4, 4);
        final WaiterTableCheckingOutsideTheLock waiters = new WaiterTableCheckingOutsideTheLock();

        public String await() throws InterruptedException {
            return waiters.await(0, () -> (int) INT.getVolatile(value, 0L) == 0, FOREVER.toNanos(), 0).name();
        }

        public int store() {
            INT.setVolatile(value, 0L, 1);
            waiters.notify(0, Integer.MAX_VALUE);
            return 0;
        }
    }

    /** Either order: woken after waiting, or the new value seen at once. */
    public static final class Spec {
        private boolean stored;

        public String await() {
            return stored ? "NOT_EQUAL" : "WOKEN";
        }

        public int store() {
            stored = true;
            return 0;
        }
    }

    private static ModelCheckingOptions waiterAgainstWriter(Class<?> type) throws NoSuchMethodException {
        Method await = type.getMethod("await");
        Method store = type.getMethod("store");
        return new ModelCheckingOptions()
                .iterations(0)
                .invocationsPerIteration(2_000)
                .addCustomScenario(scenario -> {
                    scenario.parallel(threads -> {
                        threads.thread(t -> add(t, await));
                        threads.thread(t -> add(t, store));
                        return Unit.INSTANCE;
                    });
                    return Unit.INSTANCE;
                })
                .sequentialSpecification(Spec.class);
    }

    private static Unit add(List<Actor> thread, Method method) {
        thread.add(new Actor(method, List.of()));
        return Unit.INSTANCE;
    }

    @Test
    @Timeout(300)
    void aNotifyAfterAStoreNeverMissesTheWaiter() throws NoSuchMethodException {
        waiterAgainstWriter(Buffer.class).check(Buffer.class);
    }

    @Test
    @Timeout(300)
    void catchesAWaiterThatChecksOutsideTheLock() {
        LincheckAssertionError error = assertThrows(LincheckAssertionError.class,
                () -> waiterAgainstWriter(BrokenTable.class).check(BrokenTable.class));
        assertTrue(error.getMessage().contains("hung"), error.getMessage());
    }
}
