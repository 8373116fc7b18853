package dev.parx.threads;

import java.nio.file.Path;

/**
 * The other JVM in the two-JVM tests: joins a SharedBuffer's file and adds 1 to the long at
 * offset 0, {@code count} times, once the long at offset 8 (the start line) is non-zero.
 */
public final class Hammer {

    private Hammer() {
    }

    /**
     * Runs the hammer.
     *
     * @param args the file and the count
     * @throws Exception on failure (exit code 1)
     */
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        long count = Long.parseLong(args[1]);
        try (SharedBuffer buffer = SharedBuffer.join(file)) {
            buffer.getAndAddLong(16, 1);   // "I am ready"
            while (buffer.getLongVolatile(8) == 0) {
                Thread.onSpinWait();
            }
            for (long i = 0; i < count; i++) {
                buffer.getAndAddLong(0, 1);
            }
        }
    }

    /**
     * Starts a hammer JVM on the same class path as this one.
     *
     * @param file the file
     * @param count how many increments
     * @return the process
     * @throws java.io.IOException if it cannot start
     */
    static Process start(Path file, long count) throws java.io.IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        return new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xmx64m",
                "-cp", System.getProperty("java.class.path"), Hammer.class.getName(),
                file.toString(), Long.toString(count))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
    }
}
