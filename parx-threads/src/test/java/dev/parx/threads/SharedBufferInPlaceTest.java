package dev.parx.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parx.Task;
import dev.parx.TaskContext;
import dev.parx.TaskHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tasks on a ThreadPool get a SharedBuffer by reference and write their results into it in place. */
public class SharedBufferInPlaceTest {

    /** What one task works on: its slice of a shared buffer. */
    public record Slice(SharedBuffer buffer, int from, int to) {
    }

    /** Writes the square of each index of its slice as a long at 8 * index; returns the buffer it saw. */
    public static final class WriteSquares implements Task<Slice, SharedBuffer> {
        @Override
        public SharedBuffer run(Slice slice, TaskContext context) {
            for (int i = slice.from(); i < slice.to(); i++) {
                slice.buffer().setLong(8L * i, (long) i * i);
            }
            slice.buffer().getAndAddLong(0, slice.to() - slice.from());   // a shared tally in slot 0
            return slice.buffer();
        }
    }

    @Test
    @Timeout(60)
    void tasksWriteResultsIntoTheSharedBufferInPlace() throws Exception {
        int slots = 100_001;   // slot 0 is the tally
        ThreadPool pool = ThreadPool.builder().name("in-place").workers(2).build();
        try (SharedBuffer buffer = SharedBuffer.allocate(8L * slots)) {
            List<TaskHandle<SharedBuffer>> handles = new ArrayList<>();
            for (int from = 1; from < slots; from += 10_000) {
                handles.add(pool.submit(WriteSquares.class, new Slice(buffer, from, Math.min(slots, from + 10_000))));
            }
            for (TaskHandle<SharedBuffer> handle : handles) {
                assertSame(buffer, handle.get(), "the task saw this very buffer, not a copy");
            }
            // completing the handles happens-before here, so plain reads see the tasks' plain writes
            for (int i = 1; i < slots; i++) {
                assertEquals((long) i * i, buffer.getLong(8L * i), "slot " + i);
            }
            assertEquals(slots - 1, buffer.getLongVolatile(0));
        } finally {
            pool.close();
            assertTrue(pool.awaitTermination(Duration.ofSeconds(30)), "the workers stopped");
        }
    }
}
