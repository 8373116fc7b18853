package dev.parx.ipc.tasks;

import dev.parx.Task;
import dev.parx.TaskContext;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;

/** Tasks that write to stdout behind the protocol's back. */
public final class PollutionTasks {

    private PollutionTasks() {
    }

    /** Writes a line to file descriptor 1 itself, as native code would. */
    public static final class FdOne implements Task<String, String> {
        @Override
        public String run(String input, TaskContext context) throws Exception {
            FileOutputStream out = new FileOutputStream(FileDescriptor.out);
            out.write((input + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return "wrote";
        }
    }

    /** Starts a program that inherits the child's stdout and writes its input there. */
    public static final class Inherited implements Task<String, String> {
        @Override
        public String run(String input, TaskContext context) throws Exception {
            Process echo = new ProcessBuilder("echo", input).inheritIO().start();
            return "echo exited " + echo.waitFor();
        }
    }

    /** Returns the pid of the JVM it runs in. */
    public static final class Pid implements Task<String, Long> {
        @Override
        public Long run(String input, TaskContext context) {
            return ProcessHandle.current().pid();
        }
    }
}
