package dev.parx.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parx.Task;
import dev.parx.TaskFailedException;
import dev.parx.ipc.tasks.Point;
import dev.parx.ipc.tasks.PointsTask;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.lang.module.ResolvedModule;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Children that run parx-ipc as a named module, from a module path built of this build's modules
 * (parx's classes or jars, Jackson, SLF4J) and of two task modules compiled here: one that exports
 * its package and one that does not. This JVM runs on the class path, as surefire runs it, and sees
 * the same task classes there through a class loader of their own.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JvmPoolModulePathTest {

    private static final String TASKS = "parx.test.tasks";
    private static final String HIDDEN = "parx.test.hidden";
    private static final String PARENT = "parx.test.parent";

    @TempDir
    static Path dir;
    /** parx-ipc and the modules it requires, as module path entries. */
    private static List<String> parxModules;
    /** The compiled task modules: a directory of exploded modules. */
    private static Path taskModules;
    private static URLClassLoader tasksLoader;
    private static URLClassLoader hiddenLoader;

    private final List<JvmPool> pools = new ArrayList<>();

    @BeforeAll
    static void buildTheModulePath() throws Exception {
        List<Path> modular = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .map(Path::of)
                .filter(JvmPoolModulePathTest::isModular)
                .toList();
        Configuration resolved = ModuleLayer.boot().configuration()
                .resolveAndBind(ModuleFinder.of(modular.toArray(Path[]::new)), ModuleFinder.of(), Set.of("dev.parx.ipc"));
        parxModules = resolved.modules().stream()
                .map(ResolvedModule::reference)
                .map(reference -> Path.of(reference.location().orElseThrow()).toString())
                .toList();
        taskModules = compileTaskModules(String.join(File.pathSeparator, parxModules));
        tasksLoader = new URLClassLoader(new URL[] {taskModules.resolve(TASKS).toUri().toURL()},
                JvmPoolModulePathTest.class.getClassLoader());
        hiddenLoader = new URLClassLoader(new URL[] {taskModules.resolve(HIDDEN).toUri().toURL()},
                JvmPoolModulePathTest.class.getClassLoader());
    }

    @AfterAll
    static void closeLoaders() throws IOException {
        tasksLoader.close();
        hiddenLoader.close();
    }

    /** A directory or jar with a module descriptor: what a module path needs of this build. */
    private static boolean isModular(Path entry) {
        if (Files.isDirectory(entry)) {
            return Files.isRegularFile(entry.resolve("module-info.class"));
        }
        if (!entry.toString().endsWith(".jar") || !Files.isRegularFile(entry)) {
            return false;
        }
        try (JarFile jar = new JarFile(entry.toFile(), false, JarFile.OPEN_READ, Runtime.version())) {
            return jar.getJarEntry("module-info.class") != null;
        } catch (IOException e) {
            return false;
        }
    }

    private static Path compileTaskModules(String modulePath) throws IOException {
        Path sources = dir.resolve("src");
        write(sources.resolve(TASKS).resolve("module-info.java"), """
                module parx.test.tasks {
                    requires dev.parx.api;
                    exports parx.test.tasks;
                }
                """);
        write(sources.resolve(TASKS).resolve("parx/test/tasks/Where.java"), """
                package parx.test.tasks;

                public record Where(String note, String module, boolean ipcNamed, boolean nativeAccess) {
                }
                """);
        write(sources.resolve(TASKS).resolve("parx/test/tasks/WhereTask.java"), """
                package parx.test.tasks;

                import dev.parx.Task;
                import dev.parx.TaskContext;

                public final class WhereTask implements Task<Where, Where> {
                    @Override
                    public Where run(Where input, TaskContext context) {
                        System.out.println("printed from a named module");
                        Module ipc;
                        try {
                            ipc = Class.forName("dev.parx.ipc.ChildMain").getModule();
                        } catch (ClassNotFoundException e) {
                            throw new IllegalStateException(e);
                        }
                        return new Where(input.note() + "!", getClass().getModule().getName(), ipc.isNamed(),
                                ipc.isNativeAccessEnabled());
                    }
                }
                """);
        write(sources.resolve(HIDDEN).resolve("module-info.java"), """
                module parx.test.hidden {
                    requires dev.parx.api;
                }
                """);
        write(sources.resolve(HIDDEN).resolve("parx/test/hidden/HiddenTask.java"), """
                package parx.test.hidden;

                import dev.parx.Task;
                import dev.parx.TaskContext;

                public final class HiddenTask implements Task<String, String> {
                    @Override
                    public String run(String input, TaskContext context) {
                        return input;
                    }
                }
                """);
        write(sources.resolve(PARENT).resolve("module-info.java"), """
                module parx.test.parent {
                    requires dev.parx.ipc;
                    requires parx.test.tasks;
                }
                """);
        write(sources.resolve(PARENT).resolve("parx/test/parent/Main.java"), """
                package parx.test.parent;

                import dev.parx.ipc.JvmPool;
                import parx.test.tasks.Where;
                import parx.test.tasks.WhereTask;

                public final class Main {
                    public static void main(String[] args) throws Exception {
                        try (JvmPool pool = JvmPool.builder().workers(1).build()) {
                            System.out.println("result: " + pool.submit(WhereTask.class,
                                    new Where("by default", "", false, false)).join());
                        }
                    }
                }
                """);
        Path out = Files.createDirectories(dir.resolve("mods"));
        List<String> args = new ArrayList<>(List.of("-d", out.toString(), "--module-source-path", sources.toString(),
                "--module-path", modulePath));
        try (Stream<Path> files = Files.walk(sources)) {
            files.filter(f -> f.toString().endsWith(".java")).map(Path::toString).forEach(args::add);
        }
        ToolProvider javac = ToolProvider.findFirst("javac").orElseThrow();
        StringWriter errors = new StringWriter();
        int code = javac.run(new PrintWriter(errors), new PrintWriter(errors), args.toArray(String[]::new));
        assertEquals(0, code, errors::toString);
        return out;
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private JvmPool pool(JvmPool.Builder builder) {
        JvmPool pool = builder.build();
        pools.add(pool);
        return pool;
    }

    @AfterEach
    void closePools() throws InterruptedException {
        Children.stopAll(pools);
        Children.awaitNoChildJvms();
    }

    private static List<String> modulePath(String... more) {
        List<String> path = new ArrayList<>(parxModules);
        path.addAll(List.of(more));
        return path;
    }

    @SuppressWarnings("unchecked")
    private static Class<? extends Task<Object, Object>> task(ClassLoader loader, String name) throws Exception {
        return (Class<? extends Task<Object, Object>>) Class.forName(name, false, loader);
    }

    @Test
    void aTaskFromANamedModuleRunsInAChildOnTheModulePath() throws Exception {
        List<String> output = new java.util.concurrent.CopyOnWriteArrayList<>();
        JvmPool pool = pool(JvmPool.builder().workers(1)
                .modulePath(modulePath(taskModules.toString()))
                .childOutput((worker, line) -> output.add(line)));
        Object input = tasksLoader.loadClass("parx.test.tasks.Where").getConstructors()[0]
                .newInstance("from the parent", "", false, false);
        Object where = pool.submit(task(tasksLoader, "parx.test.tasks.WhereTask"), input).join();
        assertEquals("Where[note=from the parent!, module=parx.test.tasks, ipcNamed=true, nativeAccess=true]",
                where.toString());
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> output.contains("printed from a named module"));
    }

    @Test
    void onlyTheModulesAskedForAreResolved() throws Exception {
        JvmPool pool = pool(JvmPool.builder().workers(1)
                .modulePath(modulePath(taskModules.toString()))
                .addModules(HIDDEN));
        TaskFailedException refused = assertThrows(TaskFailedException.class,
                pool.submit(task(tasksLoader, "parx.test.tasks.WhereTask"), null)::join);
        assertEquals(IllegalArgumentException.class.getName(), refused.exceptionClassName());
        assertTrue(refused.exceptionMessage().contains("nor in a module this JVM resolved"), refused.exceptionMessage());
    }

    @Test
    void aTaskWhosePackageItsModuleDoesNotExportIsRefusedWithWhatToAdd() throws Exception {
        JvmPool pool = pool(JvmPool.builder().workers(1).modulePath(modulePath(taskModules.toString())));
        TaskFailedException refused = assertThrows(TaskFailedException.class,
                pool.submit(task(hiddenLoader, "parx.test.hidden.HiddenTask"), "x")::join);
        assertEquals(IllegalArgumentException.class.getName(), refused.exceptionClassName());
        String message = refused.exceptionMessage();
        assertTrue(message.startsWith("refused task class parx.test.hidden.HiddenTask"), message);
        assertTrue(message.contains("package parx.test.hidden of module parx.test.hidden is not exported"), message);
        assertTrue(message.contains("add 'exports parx.test.hidden'"), message);
        // The child is still good.
        Object input = tasksLoader.loadClass("parx.test.tasks.Where").getConstructors()[0]
                .newInstance("after", "", false, false);
        assertTrue(pool.submit(task(tasksLoader, "parx.test.tasks.WhereTask"), input).join().toString()
                .startsWith("Where[note=after!"));
    }

    @Test
    void aTaskOnTheClassPathRunsBesideParxOnTheModulePath() {
        String testClasses = Path.of(PointsTask.class.getProtectionDomain().getCodeSource().getLocation().getPath())
                .toString();
        JvmPool pool = pool(JvmPool.builder().workers(1).modulePath(modulePath()).classpath(List.of(testClasses)));
        assertEquals(Map.of("p0", new Point(10, 20)), pool.submit(PointsTask.class, List.of(new Point(1, 2))).join());
    }

    @Test
    void aParentOnTheModulePathGivesItsChildrenItsModulePathByDefault() throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path", String.join(File.pathSeparator, modulePath(taskModules.toString())),
                "--module", PARENT + "/parx.test.parent.Main");
        Path log = dir.resolve("parent.log");
        Process parent = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertTrue(parent.waitFor(60, TimeUnit.SECONDS), "the parent JVM did not end");
            String printed = Files.readString(log);
            assertEquals(0, parent.exitValue(), printed);
            assertTrue(printed.contains(
                    "result: Where[note=by default!, module=parx.test.tasks, ipcNamed=true, nativeAccess=true]"), printed);
        } finally {
            parent.descendants().forEach(ProcessHandle::destroyForcibly);
            parent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void badModuleSettingsAreRefused() {
        JvmPool.Builder builder = JvmPool.builder();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> builder.addModules("not a module"))
                .getMessage().contains("'not a module' is not a module name"));
        assertThrows(IllegalArgumentException.class, () -> builder.addModules("ALL-MODULES"));
        assertThrows(IllegalArgumentException.class, () -> builder.modulePath(List.of(" ")));
        JvmPool.builder().addModules("ALL-MODULE-PATH", "com.example.tasks", "jdk.incubator.vector");
        builder.modulePath(List.of());
        assertTrue(assertThrows(IllegalStateException.class, () -> builder.modulePath(List.of()))
                .getMessage().contains("modulePath was already set"));
    }
}
