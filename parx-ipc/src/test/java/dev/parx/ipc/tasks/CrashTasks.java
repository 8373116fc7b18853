package dev.parx.ipc.tasks;

import dev.parx.Task;
import dev.parx.TaskContext;
import java.util.ArrayList;
import java.util.List;

/** Tasks that end the JVM running them, each in another way. */
public final class CrashTasks {

    private CrashTasks() {
    }

    /** Halts the JVM with its input as the exit code (no shutdown hook runs). */
    public static final class Halt implements Task<String, String> {
        @Override
        public String run(String input, TaskContext context) {
            Runtime.getRuntime().halt(input.matches("\\d+") ? Integer.parseInt(input) : 99);
            return "unreachable";
        }
    }

    /** Calls System.exit with its input as the exit code. */
    public static final class Exit implements Task<Integer, String> {
        @Override
        public String run(Integer input, TaskContext context) {
            System.exit(input);
            return "unreachable";
        }
    }

    /** Kills its own JVM with SIGKILL, as {@code kill -9} from outside would. */
    public static final class KillNine implements Task<String, String> {
        @Override
        public String run(String input, TaskContext context) throws Exception {
            new ProcessBuilder("kill", "-9", Long.toString(ProcessHandle.current().pid())).start().waitFor();
            Thread.sleep(60_000);
            return "unreachable";
        }
    }

    /** Fills the heap until the JVM runs out of memory. */
    public static final class OutOfMemory implements Task<String, String> {
        @Override
        public String run(String input, TaskContext context) {
            List<long[]> hog = new ArrayList<>();
            while (true) {
                hog.add(new long[1 << 20]);
            }
        }
    }

    /** Writes a line that is not a frame straight to the real stdout of the JVM. */
    public static final class CorruptStdout implements Task<String, String> {
        @Override
        public String run(String input, TaskContext context) throws Exception {
            try (var out = new java.io.FileOutputStream(java.io.FileDescriptor.out)) {
                out.write("this is not a frame\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                out.flush();
            }
            Thread.sleep(60_000);
            return "unreachable";
        }
    }
}
