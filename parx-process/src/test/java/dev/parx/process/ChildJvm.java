package dev.parx.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Commands that run a main class of these tests in a child JVM. */
final class ChildJvm {

    /** What lets parx start commands with posix_spawn in a JVM running from the class path. */
    static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";

    private ChildJvm() {
    }

    /**
     * Returns the command line of a child JVM on this JVM's class path, which starts commands the
     * way this JVM does unless {@code jvmOptions} says otherwise.
     */
    static List<String> commandLine(List<String> jvmOptions, Class<?> main, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String spawn = System.getProperty("parx.process.spawn");
        if (spawn != null) {
            command.add("-Dparx.process.spawn=" + spawn);
        }
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        return command;
    }
}
