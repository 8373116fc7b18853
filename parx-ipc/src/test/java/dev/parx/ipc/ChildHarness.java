package dev.parx.ipc;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.parx.ipc.internal.ChildSession;
import dev.parx.ipc.internal.Wire;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A child session served in this JVM, fed frames through a pipe, its frames collected line by line. */
final class ChildHarness implements AutoCloseable {

    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final PipedOutputStream toChild = new PipedOutputStream();
    private final CompletableFuture<Integer> exit;
    private final JsonMapper json = JsonMapper.builder().build();

    ChildHarness(int capacity, int maxFrame) throws IOException {
        PipedInputStream in = new PipedInputStream(toChild, 1 << 16);
        OutputStream out = new OutputStream() {
            private final ByteArrayOutputStream line = new ByteArrayOutputStream();

            @Override
            public synchronized void write(int b) {
                if (b == '\n') {
                    lines.add(line.toString(StandardCharsets.UTF_8));
                    line.reset();
                } else {
                    line.write(b);
                }
            }
        };
        ChildSession session = new ChildSession(new Wire(null), out, capacity, "test-worker");
        session.hello("nonce-1", "test");
        exit = CompletableFuture.supplyAsync(() -> session.serve(in, maxFrame));
    }

    void send(String frame) throws IOException {
        toChild.write((frame + "\n").getBytes(StandardCharsets.UTF_8));
        toChild.flush();
    }

    void sendRaw(byte[] bytes) throws IOException {
        toChild.write(bytes);
        toChild.flush();
    }

    JsonNode next() throws InterruptedException {
        String line = lines.poll(30, TimeUnit.SECONDS);
        assertNotNull(line, "the child sent no frame within 30 s");
        return json.readTree(line);
    }

    /** The next frame of a type, skipping others. */
    JsonNode next(String type) throws InterruptedException {
        while (true) {
            JsonNode frame = next();
            if (frame.get("type").asString().equals(type)) {
                return frame;
            }
        }
    }

    int exitCode() throws Exception {
        return exit.get(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws IOException {
        toChild.close();
    }
}
