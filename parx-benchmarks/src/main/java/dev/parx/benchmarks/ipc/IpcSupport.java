package dev.parx.benchmarks.ipc;

import dev.parx.Task;
import dev.parx.TaskContext;
import dev.parx.ipc.JvmPool;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * What the child-JVM benchmarks share: the children's class path (every class directory made a
 * jar, since the JVM writes no AOT cache for a class path with a directory), a no-op task, the raw
 * echo and the Hello that parx is measured against, and the java executable of this JVM.
 */
public final class IpcSupport {

    /** This JVM's java. */
    public static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    private IpcSupport() {
    }

    /** Returns its input. */
    public static final class NoOp implements Task<Integer, Integer> {
        /** For the pool's reflection. */
        public NoOp() {
        }

        @Override
        public Integer run(Integer input, TaskContext context) {
            return input;
        }
    }

    /** The raw echo: every line of stdin back on stdout, flushed, until stdin ends. */
    public static final class Echo {
        private Echo() {
        }

        /**
         * Runs the echo.
         *
         * @param args none
         * @throws IOException if a pipe breaks
         */
        public static void main(String[] args) throws IOException {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            BufferedWriter out = new BufferedWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out),
                    StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                out.write(line);
                out.write('\n');
                out.flush();
            }
        }
    }

    /** The program whose start a worker's start is compared with. */
    public static final class Hello {
        private Hello() {
        }

        /**
         * Says hello.
         *
         * @param args none
         */
        public static void main(String[] args) {
            System.out.println("Hello");
        }
    }

    /**
     * Returns this JVM's class path with every directory in it written to a jar in {@code into}.
     *
     * @param into a directory for the jars
     * @return the entries
     */
    public static List<String> jarredClasspath(Path into) {
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (Files.isDirectory(path)) {
                Path jar = into.resolve("classes" + n++ + ".jar");
                jar(path, jar);
                entries.add(jar.toString());
            } else {
                entries.add(entry);
            }
        }
        return List.copyOf(entries);
    }

    private static void jar(Path classes, Path jar) {
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
                Stream<Path> tree = Files.walk(classes)) {
            for (Path path : tree.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(path).toString().replace(File.separatorChar, '/')));
                Files.copy(path, out);
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes the class file of {@link Hello} into a fresh directory, for {@code java -cp <dir> Hello}.
     *
     * @param into the directory
     * @return the class name to run
     */
    public static String writeHello(Path into) {
        String resource = Hello.class.getName().replace('.', '/') + ".class";
        try (InputStream in = IpcSupport.class.getClassLoader().getResourceAsStream(resource)) {
            Path file = into.resolve(resource);
            Files.createDirectories(file.getParent());
            Files.write(file, in.readAllBytes());
            return Hello.class.getName();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts a pool of child JVMs on the jarred class path, in a private AOT cache directory
     * of the caller's, that runs one no-op before it is returned, so that its workers are up.
     *
     * @param builder the builder, with the caller's settings
     * @param classpath the jarred class path
     * @return the pool
     */
    public static JvmPool started(JvmPool.Builder builder, List<String> classpath) {
        JvmPool pool = builder.classpath(classpath).build();
        pool.submit(NoOp.class, 0).join();
        return pool;
    }

    /**
     * Closes a pool and waits for its children to end.
     *
     * @param pool the pool
     */
    public static void close(JvmPool pool) {
        pool.close();
        try {
            if (!pool.awaitTermination(Duration.ofSeconds(30))) {
                throw new IllegalStateException(pool + " did not end");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Deletes a directory tree.
     *
     * @param directory the directory
     */
    public static void delete(Path directory) {
        if (directory == null || !Files.exists(directory)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(directory)) {
            for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
