package dev.parx.threads;

import dev.parx.Codecs;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The child JVM of the native-memory stress test: rounds of 1,000 channels and 1,000 shared
 * buffers, each created, used and closed. Prints "round N" after each round and waits for a line
 * on stdin before the next; exits when stdin closes.
 */
public final class Churn {

    private Churn() {
    }

    /**
     * Runs rounds until stdin closes.
     *
     * @param args none
     * @throws Exception on failure (exit code 1)
     */
    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        int round = 0;
        do {
            for (int i = 0; i < 1000; i++) {
                OffHeapChannel<byte[]> channel = (i & 1) == 0
                        ? OffHeapChannel.spsc(1 << 16, Codecs.bytes())
                        : OffHeapChannel.mpsc(1 << 16, Codecs.bytes());
                channel.send(new byte[100]);
                channel.send(new byte[200]);
                if (channel.receive().length != 100) {
                    throw new AssertionError("bad message");
                }
                channel.close();   // one message left: freed when drained
                channel.receive();
                try (SharedBuffer buffer = SharedBuffer.allocate(1 << 16)) {
                    buffer.getAndAddLong(8 * (i & 1023), 1);
                    buffer.setBytes(100, new byte[1000], 0, 1000);
                }
            }
            System.out.println("round " + round++);
            System.out.flush();
        } while (in.readLine() != null);
    }
}
