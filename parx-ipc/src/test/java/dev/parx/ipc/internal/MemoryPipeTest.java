package dev.parx.ipc.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Java-level fallback's pipe behaves as an OS pipe does, and survives what breaks the JDK's. */
@Timeout(30)
class MemoryPipeTest {

    @Test
    void bytesComeOutInOrderAcrossTheRingsWrap() throws Exception {
        MemoryPipe pipe = new MemoryPipe(7);
        byte[] sent = new byte[10_000];
        for (int i = 0; i < sent.length; i++) {
            sent[i] = (byte) (i * 31);
        }
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (var out = pipe.sink()) {
                out.write(sent);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        assertArrayEquals(sent, pipe.source().readAllBytes(), "all of it, then end of file when the sink closes");
        writer.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aWriterThatEndedDoesNotBreakThePipe() throws Exception {
        MemoryPipe pipe = new MemoryPipe(64);
        Thread writer = Thread.ofPlatform().start(() -> {
            try {
                pipe.sink().write('a');
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        writer.join();
        assertEquals('a', pipe.source().read());
        pipe.sink().write('b');
        assertEquals('b', pipe.source().read());
    }

    @Test
    void anInterruptedWriterFailsAloneAndThePipeGoesOn() throws Exception {
        MemoryPipe pipe = new MemoryPipe(1);
        pipe.sink().write('x');   // full
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread writer = Thread.ofPlatform().start(() -> {
            try {
                pipe.sink().write('y');
            } catch (IOException e) {
                failure.set(e);
            }
        });
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> writer.getState() == Thread.State.WAITING);
        writer.interrupt();
        writer.join();
        assertTrue(failure.get() instanceof InterruptedIOException, String.valueOf(failure.get()));
        assertEquals('x', pipe.source().read());
        pipe.sink().write('z');
        assertEquals('z', pipe.source().read());
    }

    @Test
    void writesFailOnceNobodyReads() throws IOException {
        MemoryPipe pipe = new MemoryPipe(8);
        pipe.source().close();
        assertThrows(IOException.class, () -> pipe.sink().write('x'));
    }
}
