package dev.parx.process.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The command line of the {@link GuardianMain guardian process}: this JVM's own {@code java}
 * launcher, flags that make a small JVM start fast, and parx-process's classes. Needs no program
 * on {@code PATH}. Stateless and thread-safe.
 */
final class GuardianLaunch {

    /**
     * The guardian JVM's flags: the shared class-data archive, the interpreter only (it starts as fast
     * as with C1 and needs 8 MB less memory; the guardian runs little code), the serial collector, a
     * small heap and stack, no perf-data file in {@code /tmp}, none of the JVM's own signal handlers, and
     * native access for {@link Signals}. Unknown flags (another JVM) are ignored rather than fatal.
     */
    static final List<String> JVM_FLAGS = List.of(
            "-XX:+IgnoreUnrecognizedVMOptions",
            "-Xshare:auto",
            "-Xint",
            "-XX:+UseSerialGC",
            "-Xms4m",
            "-Xmx16m",
            "-Xss256k",
            "-XX:-UsePerfData",
            "--enable-native-access=ALL-UNNAMED");

    /** Variables of this JVM's environment that would give the guardian JVM this JVM's options. */
    static final List<String> REMOVED_VARIABLES = List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");

    /** The classes the guardian runs, copied out when parx-process is not a plain jar or directory. */
    private static final List<Class<?>> CLASSES = List.of(GuardianMain.class, Signals.class, ProcStat.class);

    private GuardianLaunch() {
    }

    /**
     * Returns the {@code java} launcher of this JVM's runtime. Not this process's executable: that
     * may be an application's own launcher, which would run the application.
     *
     * @param javaHome the {@code java.home} property
     * @return the launcher, or empty if this runtime has none (a {@code jlink} image made with
     *     {@code --strip-native-commands}, as {@code jpackage} makes them)
     */
    static Optional<Path> javaLauncher(String javaHome) {
        if (javaHome == null) {
            return Optional.empty();
        }
        Path java = Path.of(javaHome, "bin", "java");
        return Files.isExecutable(java) ? Optional.of(java) : Optional.empty();
    }

    /**
     * Returns the guardian's command line.
     *
     * @param java the launcher
     * @param classPath where the guardian's classes are
     * @param copied whether {@code classPath} is a copy for the guardian to delete
     * @return the program and its arguments
     */
    static List<String> commandLine(Path java, Path classPath, boolean copied) {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(JVM_FLAGS);
        command.add("-cp");
        command.add(classPath.toString());
        command.add(GuardianMain.class.getName());
        if (copied) {
            command.add("--delete");
            command.add(classPath.toString());
        }
        return command;
    }

    /**
     * Returns the jar or directory parx-process's classes are loaded from, if it is a file that
     * another JVM can put on its class path.
     *
     * @return the location, or empty if it is something else (a jar in a jar, a {@code jlink} image)
     */
    static Optional<Path> codeLocation() {
        CodeSource source = GuardianMain.class.getProtectionDomain().getCodeSource();
        URL location = source != null ? source.getLocation() : null;
        if (location == null || !location.getProtocol().equals("file")) {
            return Optional.empty();
        }
        try {
            Path path = Path.of(location.toURI());
            return Files.exists(path.resolve(resource(GuardianMain.class))) || Files.isRegularFile(path)
                    ? Optional.of(path) : Optional.empty();
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Copies the guardian's class files into a new temporary directory, for a JVM whose parx-process
     * classes are not a plain jar or directory.
     *
     * @return the directory
     * @throws IOException if a class file cannot be read or written
     */
    static Path copyClasses() throws IOException {
        Path directory = Files.createTempDirectory("parx-guardian-");
        // Deleted in the reverse order of registration: the files first, the directories last.
        directory.toFile().deleteOnExit();
        Path packageDirectory = directory;
        for (String part : GuardianMain.class.getPackageName().split("\\.")) {
            packageDirectory = Files.createDirectories(packageDirectory.resolve(part));
            packageDirectory.toFile().deleteOnExit();
        }
        for (Class<?> type : CLASSES) {
            String name = resource(type);
            try (InputStream in = type.getResourceAsStream("/" + name)) {
                if (in == null) {
                    throw new IOException("class file " + name + " not found");
                }
                Path file = directory.resolve(name);
                file.toFile().deleteOnExit();
                Files.copy(in, file);
            }
        }
        return directory;
    }

    private static String resource(Class<?> type) {
        return type.getName().replace('.', '/') + ".class";
    }
}
