package dev.parx.ipc;

import dev.parx.PoolBuilder;
import dev.parx.engine.EnginePool;
import dev.parx.engine.PoolEngine;
import dev.parx.engine.Worker;
import dev.parx.engine.WorkerContext;
import dev.parx.engine.WorkerFactory;
import dev.parx.ipc.internal.AotCache;
import dev.parx.ipc.internal.ChildSpec;
import dev.parx.ipc.internal.Frames;
import dev.parx.ipc.internal.JvmWorker;
import dev.parx.ipc.internal.SharedBufferValues;
import dev.parx.ipc.internal.Wire;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * A pool whose workers are child JVMs that run {@link dev.parx.Task}s and speak JSON over stdio
 * (Node's {@code fork()}, for Java): for crash and memory isolation, other heap or JVM flags, or
 * native code that may die. The same Task class that runs on a {@code ThreadPool} runs here
 * unchanged, as long as it is on the children's class path and its input, output and messages
 * are values Jackson can write and read.
 *
 * <pre>{@code
 * try (JvmPool pool = JvmPool.builder().name("render").workers(2)
 *         .jvmOptions("-Xmx512m").tasksPerWorker(4).maxTasksPerWorker(1000).build()) {
 *     Map<String, Point> points = pool.submit(Layout.class, List.of(new Point(1, 2))).join();
 * }
 * }</pre>
 *
 * <p><b>Values.</b> Inputs, outputs and messages cross the process boundary as JSON, encoded by
 * parx-json's {@link dev.parx.json.TaskCodec} (as they are for a cluster pool) with a Jackson 3
 * mapper with no default typing: a frame never names a class that Jackson
 * would instantiate. Inputs and outputs are read as the Task's own type arguments
 * ({@code Task<List<Point>, Map<String, Point>>} gives {@code Point} records); messages a task
 * emits reach {@code onMessage} as JSON values (maps, lists, strings, numbers, booleans), and
 * messages sent to a task are read as the type its {@code receive} asks for. A child instantiates a
 * class named on the wire only if it implements {@code Task} and passes the checks a
 * {@code ThreadPool} makes; a task failure comes back as a {@link dev.parx.TaskFailedException}
 * with the remote class name, message and stack, and the remote causes attached as a suppressed
 * chain of {@link dev.parx.json.RemoteCause}s (their classes need not exist here).
 *
 * <p><b>Class path and module path.</b> A child runs {@code java <options> -cp <class path>
 * dev.parx.ipc.ChildMain} by default, with this JVM's class path. Where this JVM runs parx-ipc as a
 * named module, or {@link Builder#modulePath(List)} says so, it runs
 * {@code java <options> --module-path <module path> [-cp <class path>]
 * --add-modules dev.parx.ipc,<modules> dev.parx.ipc.ChildMain}: {@code ChildMain} then runs in the
 * named module {@code dev.parx.ipc}, as with {@code --module}; every module on the path is resolved
 * unless {@link Builder#addModules(String...)} names them, and native access is granted to the
 * modules of parx that use it. A task class may then live in a named module, which must export its package
 * (to {@code dev.parx.engine} at least), as on a {@code ThreadPool}; the child refuses it otherwise
 * with a {@link dev.parx.TaskFailedException} whose {@code IllegalArgumentException} names the
 * package, the module and the {@code exports} to add. The same class, seen from this JVM, may be on
 * its class path.
 *
 * <p><b>Shared memory.</b> A {@link dev.parx.threads.SharedBuffer} over a file
 * ({@code createTemporary}, {@code create}, {@code join}) in a task's input, or in a message sent to
 * it, crosses as the name of its file (path, size, device and inode), not as its bytes: the task
 * gets a buffer joined to the same file, and both JVMs see each other's writes, atomics and
 * {@code waitFor}/{@code notify} (a futex wakes the other process on Linux; see
 * {@code SharedBuffer}). An allocated or closed buffer is refused before anything is sent. The
 * child refuses a symbolic link anywhere on the path and any file but the one the parent mapped.
 * The child's mapping is the task's: it is unmapped when the task ends, however it ends, before
 * the handle completes, so a task must not keep it (a kept buffer throws
 * {@code IllegalStateException}). A task may return a buffer it was given: the handle gives the
 * submitter's own {@code SharedBuffer} object, and a file this pool did not send is refused. The
 * submitter's buffers stay the submitter's to close. Writes before {@code submit} are seen by the
 * task, the task's writes before it returns are seen once its handle completes, as with any input.
 *
 * <p><b>Crashes.</b> A child that exits ({@code System.exit}, {@code Runtime.halt}), is killed
 * ({@code kill -9}), runs out of memory ({@code -XX:+ExitOnOutOfMemoryError} is a default) or
 * breaks the protocol fails only the tasks it was running, each with a
 * {@link dev.parx.WorkerCrashedException} that gives the exit code or signal and the last lines of
 * its stderr, and is replaced. Children are started through {@code dev.parx.process.Command}, so
 * none outlives this JVM, even after {@code kill -9}.
 *
 * <p><b>Stopping.</b> Cancelling a running task or its timeout sends a cancel frame, which sets
 * the task's {@code isCancelled()} and interrupts it; a task that has not ended after
 * {@link Builder#cancelGrace(Duration)} has its child killed and replaced.
 *
 * <p>Thread-safe. Actions before {@code submit} happen-before the child reads the input (what
 * crosses is a copy); the child's end report happens-before the handle completes; progress and
 * messages reach listeners in the order the task sent them, and before the handle completes.
 * Messages one thread sends to a task with {@code TaskHandle.send} reach it in that order.
 */
public final class JvmPool extends EnginePool {

    private static final Logger LOG = LoggerFactory.getLogger(JvmPool.class);
    /** The module of the children's main class, when they run on a module path. */
    private static final String MAIN_MODULE = "dev.parx.ipc";

    private JvmPool(PoolEngine engine) {
        super(engine);
    }

    /**
     * Returns a builder; the shared settings are those of {@link PoolBuilder}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds a {@link JvmPool}. Not thread-safe; each setting may be set once.
     *
     * <p>Defaults: children run {@code ${java.home}/bin/java} with this JVM's class path (and its
     * module path, if parx-ipc runs as a named module here), a 256 MiB heap, the Serial GC (unless
     * the options choose a heap size or a collector), {@code -XX:+ExitOnOutOfMemoryError},
     * {@code -XX:+DisplayVMOutputToStderr} and {@code --enable-native-access=ALL-UNNAMED} (on a
     * module path {@code --enable-native-access=dev.parx.ipc,dev.parx.process,dev.parx.threads}, with
     * {@code ALL-UNNAMED} too if there is a class path);
     * one task per child at a time; no recycling; frames up to 16 MiB; a 60 s start timeout; a 1 s
     * cancel grace; an AOT cache in {@code ~/.cache/parx/aot} (see {@link #aotCache(boolean)}).
     */
    public static final class Builder extends PoolBuilder<Builder, JvmPool> {

        /** The default heap limit of a child. */
        static final String DEFAULT_HEAP = "256m";
        /** The modules that call native code in a child: its stdout guard and parx-process's spawn. */
        static final String NATIVE_MODULES = "dev.parx.ipc,dev.parx.process,dev.parx.threads";
        private static final Pattern MODULE_NAME;

        static {
            String identifier = "\\p{javaJavaIdentifierStart}"
                    + "[\\p{javaJavaIdentifierPart}&&[^\\p{javaIdentifierIgnorable}]]*";
            MODULE_NAME = Pattern.compile("ALL-MODULE-PATH|ALL-DEFAULT|ALL-SYSTEM|"
                    + identifier + "(?:\\." + identifier + ")*");
        }

        private int prestart = -1;
        private int tasksPerWorker = -1;
        private int maxTasksPerWorker = -1;
        private List<String> jvmOptions;
        private Map<String, String> environment;
        private List<String> classpath;
        private List<String> modulePath;
        private List<String> addModules;
        private Path javaExecutable;
        private Class<? extends Supplier<JsonMapper>> mapperFactory;
        private int maxFrameBytes = -1;
        private Duration startTimeout;
        private Duration cancelGrace;
        private BiConsumer<String, String> childOutput;
        private Boolean aotCache;
        private Path aotCacheDirectory;

        private Builder() {
        }

        /**
         * Starts this many children when the pool is built, instead of when the first tasks come.
         *
         * @param workers from 0 to {@code maxWorkers}; those beyond {@code minWorkers} retire when idle
         * @return this builder
         * @throws IllegalArgumentException if negative
         * @throws IllegalStateException if already set
         */
        public Builder prestart(int workers) {
            unset(prestart < 0, "prestart");
            if (workers < 0) {
                throw new IllegalArgumentException("prestart must not be negative, was " + workers);
            }
            this.prestart = workers;
            return this;
        }

        /**
         * Lets each child run several tasks at once, on threads of its own (a multiplexing worker).
         *
         * @param tasks at least 1; 1 by default
         * @return this builder
         * @throws IllegalArgumentException if less than 1
         * @throws IllegalStateException if already set
         */
        public Builder tasksPerWorker(int tasks) {
            unset(tasksPerWorker < 0, "tasksPerWorker");
            if (tasks < 1) {
                throw new IllegalArgumentException("tasksPerWorker must be at least 1, was " + tasks);
            }
            this.tasksPerWorker = tasks;
            return this;
        }

        /**
         * Replaces a child after it was given this many tasks, once they ended (Python's
         * {@code max_tasks_per_child}): for tasks that leak.
         *
         * @param tasks at least 1; unlimited by default
         * @return this builder
         * @throws IllegalArgumentException if less than 1
         * @throws IllegalStateException if already set
         */
        public Builder maxTasksPerWorker(int tasks) {
            unset(maxTasksPerWorker < 0, "maxTasksPerWorker");
            if (tasks < 1) {
                throw new IllegalArgumentException("maxTasksPerWorker must be at least 1, was " + tasks);
            }
            this.maxTasksPerWorker = tasks;
            return this;
        }

        /**
         * Adds JVM options for the children, after the defaults: heap, GC, system properties.
         *
         * @param options such as {@code -Xmx1g}, {@code -Dkey=value}
         * @return this builder
         * @throws IllegalArgumentException if an option is blank or does not start with {@code -}
         * @throws IllegalStateException if already set
         */
        public Builder jvmOptions(String... options) {
            return jvmOptions(List.of(options));
        }

        /**
         * Adds JVM options for the children; see {@link #jvmOptions(String...)}.
         *
         * @param options the options
         * @return this builder
         * @throws IllegalArgumentException if an option is blank or does not start with {@code -}
         * @throws IllegalStateException if already set
         */
        public Builder jvmOptions(List<String> options) {
            unset(jvmOptions == null, "jvmOptions");
            for (String option : options) {
                if (option.isBlank() || !option.startsWith("-")) {
                    throw new IllegalArgumentException("a JVM option starts with '-', was '" + option + "'");
                }
            }
            this.jvmOptions = List.copyOf(options);
            return this;
        }

        /**
         * Sets environment variables of the children, beside those they inherit from this JVM.
         *
         * @param variables names and values
         * @return this builder
         * @throws IllegalStateException if already set
         */
        public Builder environment(Map<String, String> variables) {
            unset(environment == null, "environment");
            variables.forEach((name, value) -> {
                Objects.requireNonNull(name, "name");
                Objects.requireNonNull(value, name);
            });
            this.environment = Map.copyOf(variables);
            return this;
        }

        /**
         * Sets the children's class path; by default this JVM's ({@code java.class.path}), or none
         * when {@link #modulePath(List)} is set. Without a module path it must hold parx-ipc and
         * its dependencies, and the task classes.
         *
         * @param entries directories and jars
         * @return this builder
         * @throws IllegalArgumentException if empty
         * @throws IllegalStateException if already set
         */
        public Builder classpath(List<String> entries) {
            unset(classpath == null, "classpath");
            if (entries.isEmpty()) {
                throw new IllegalArgumentException("a class path needs at least one entry");
            }
            this.classpath = List.copyOf(entries);
            return this;
        }

        /**
         * Sets the children's module path; by default this JVM's ({@code jdk.module.path}) when
         * parx-ipc itself runs as a named module, else none. With a module path, the children run
         * {@code ChildMain} in the named module {@code dev.parx.ipc}: the path must hold parx-ipc and the modules it
         * requires (dev.parx.api, dev.parx.engine, dev.parx.process, dev.parx.json, Jackson,
         * SLF4J), and it may hold task modules beside a class path. A task class in a named module
         * must be public in a package its module exports (to {@code dev.parx.engine} at least), as
         * on a {@code ThreadPool}, and so must the types of its input and output (to
         * {@code tools.jackson.databind}; non-public members need {@code opens}); a child refuses
         * any other with an {@code IllegalArgumentException} that names the package and module.
         * Setting a module path drops the default class path (this JVM's, which would repeat the
         * modules); set {@link #classpath(List)} as well for classes beside the modules. An empty
         * list runs the children on the class path alone.
         *
         * @param entries directories and jars (modular, or automatic modules), or directories of them
         * @return this builder
         * @throws IllegalArgumentException if an entry is blank
         * @throws IllegalStateException if already set
         * @see #addModules(String...)
         */
        public Builder modulePath(List<String> entries) {
            unset(modulePath == null, "modulePath");
            for (String entry : entries) {
                if (entry.isBlank()) {
                    throw new IllegalArgumentException("a module path entry must not be blank");
                }
            }
            this.modulePath = List.copyOf(entries);
            return this;
        }

        /**
         * Sets the modules the children resolve beside {@code dev.parx.ipc} (the launcher's
         * {@code --add-modules}): task modules that nothing requires are only loadable once
         * resolved. With a module path, by default {@code ALL-MODULE-PATH}, every module on it;
         * without one, by default none (system modules such as {@code jdk.incubator.vector} may be
         * added).
         *
         * @param modules module names, or {@code ALL-MODULE-PATH}, {@code ALL-DEFAULT}, {@code ALL-SYSTEM}
         * @return this builder
         * @throws IllegalArgumentException if there is none or a name is not a module name
         * @throws IllegalStateException if already set
         */
        public Builder addModules(String... modules) {
            unset(addModules == null, "addModules");
            if (modules.length == 0) {
                throw new IllegalArgumentException("addModules needs at least one module");
            }
            for (String module : modules) {
                if (module == null || !MODULE_NAME.matcher(module).matches()) {
                    throw new IllegalArgumentException("'" + module + "' is not a module name");
                }
            }
            this.addModules = List.of(modules);
            return this;
        }

        /**
         * Sets the java executable of the children; by default {@code ${java.home}/bin/java}.
         *
         * @param java an executable file
         * @return this builder
         * @throws IllegalArgumentException if it is not an executable file
         * @throws IllegalStateException if already set
         */
        public Builder javaExecutable(Path java) {
            unset(javaExecutable == null, "javaExecutable");
            if (!Files.isRegularFile(java) || !Files.isExecutable(java)) {
                throw new IllegalArgumentException("java executable " + java + " is not an executable file");
            }
            this.javaExecutable = java;
            return this;
        }

        /**
         * Uses the mapper of a factory class (its modules, its naming) on both sides of the wire:
         * a mapper cannot cross to a child, so the child instantiates the same class. Default
         * typing is turned off in the mapper whatever the factory set.
         *
         * @param factory a public class with a public no-argument constructor, on the children's
         *     class path too
         * @return this builder
         * @throws IllegalArgumentException if the class cannot be instantiated or supplies null
         * @throws IllegalStateException if already set
         */
        public Builder objectMapper(Class<? extends Supplier<JsonMapper>> factory) {
            unset(mapperFactory == null, "objectMapper");
            Objects.requireNonNull(factory, "factory");
            this.mapperFactory = factory;
            return this;
        }

        /**
         * Limits the raw bytes of one frame, both ways; a larger frame is a protocol violation
         * that replaces the child.
         *
         * @param bytes at least 1024; 16 MiB by default
         * @return this builder
         * @throws IllegalArgumentException if less than 1024
         * @throws IllegalStateException if already set
         */
        public Builder maxFrameBytes(int bytes) {
            unset(maxFrameBytes < 0, "maxFrameBytes");
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxFrameBytes must be at least 1024, was " + bytes);
            }
            this.maxFrameBytes = bytes;
            return this;
        }

        /**
         * Sets how long a child may take to start and say hello.
         *
         * @param timeout positive; 60 s by default
         * @return this builder
         * @throws IllegalArgumentException if not positive
         * @throws IllegalStateException if already set
         */
        public Builder startTimeout(Duration timeout) {
            unset(startTimeout == null, "startTimeout");
            this.startTimeout = positive(timeout, "startTimeout");
            return this;
        }

        /**
         * Sets how long a cancelled or timed-out task may take to end before its child is killed.
         *
         * @param grace positive; 1 s by default
         * @return this builder
         * @throws IllegalArgumentException if not positive
         * @throws IllegalStateException if already set
         */
        public Builder cancelGrace(Duration grace) {
            unset(cancelGrace == null, "cancelGrace");
            this.cancelGrace = positive(grace, "cancelGrace");
            return this;
        }

        /**
         * Hands every line that a child's code prints to its stdout ({@code System.out}) to a
         * listener, with the worker's id; such lines never reach the frames. By default they are
         * logged at INFO by {@code dev.parx.ipc.JvmPool}. Lines on a child's stderr are logged, and
         * the last of them are kept for {@link dev.parx.WorkerCrashedException#stderrTail()}.
         * Called on the worker's reader thread, in order: a slow listener slows the worker.
         *
         * @param listener takes the worker id and the line
         * @return this builder
         * @throws IllegalStateException if already set
         */
        public Builder childOutput(BiConsumer<String, String> listener) {
            unset(childOutput == null, "childOutput");
            this.childOutput = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Turns the children's JDK AOT cache (JEP 483, 514) on or off. On, the first worker of a
         * JDK, class path and set of JVM options starts as usual and, once it said hello, a short
         * training run of {@code ChildMain} in a JVM of its own writes a cache of the classes a
         * worker loads and links; workers started after it exists start from it, faster. The
         * cache is kept in a private directory ({@code $XDG_CACHE_HOME/parx/aot}, else
         * {@code ~/.cache/parx/aot}, or {@link #aotCacheDirectory}) and a changed JDK, jar or
         * option makes a new one. Closing the worker that started a training waits up to 10 s for
         * it to end. A cache that cannot be used (a JVM without AOT caches, a directory that
         * cannot be written, a damaged file) is never a failure: the children start without it.
         * Options that choose their own class-data sharing ({@code -Xshare}, {@code -XX:AOT...},
         * {@code -XX:SharedArchiveFile}) turn it off.
         *
         * @param enabled on by default, unless the system property {@code parx.ipc.aotCache} is
         *     {@code false}
         * @return this builder
         * @throws IllegalStateException if already set
         */
        public Builder aotCache(boolean enabled) {
            unset(aotCache == null, "aotCache");
            this.aotCache = enabled;
            return this;
        }

        /**
         * Keeps the AOT cache in this directory instead of {@code ~/.cache/parx/aot}, and turns it
         * on unless {@link #aotCache(boolean)} turned it off. The directory is created owner-only
         * if missing; an existing one must be this user's with mode {@code 0700}, else the
         * children start without a cache (a log at INFO says why).
         *
         * @param directory the directory
         * @return this builder
         * @throws IllegalStateException if already set
         */
        public Builder aotCacheDirectory(Path directory) {
            unset(aotCacheDirectory == null, "aotCacheDirectory");
            this.aotCacheDirectory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /**
         * {@inheritDoc}
         *
         * @throws IllegalArgumentException also if the mapper factory cannot be used
         */
        @Override
        public JvmPool build() {
            JsonMapper mapper = mapperFactory == null ? null : ChildMain.mapper(mapperFactory.getName());
            List<String> command = command();
            boolean aot = aotCache != null ? aotCache
                    : aotCacheDirectory != null || !"false".equalsIgnoreCase(System.getProperty("parx.ipc.aotCache"));
            ChildSpec spec = new ChildSpec(command, environment == null ? Map.of() : environment,
                    new Wire(SharedBufferValues.parent(mapper)),
                    mapperFactory == null ? null : mapperFactory.getName(),
                    tasksPerWorker > 0 ? tasksPerWorker : 1, Math.max(0, maxTasksPerWorker),
                    maxFrameBytes > 0 ? maxFrameBytes : Frames.DEFAULT_MAX_FRAME,
                    startTimeout != null ? startTimeout : Duration.ofSeconds(60),
                    cancelGrace != null ? cancelGrace : Duration.ofSeconds(1),
                    childOutput != null ? childOutput : (worker, line) -> LOG.info("[{} stdout] {}", worker, line),
                    aot ? AotCache.of(command, aotCacheDirectory) : null);
            PoolEngine engine = new PoolEngine(settings(), new WorkerFactory() {
                @Override
                public Worker start(WorkerContext context) throws Exception {
                    return JvmWorker.start(context, spec);
                }

                @Override
                public int workerCapacity() {
                    return spec.tasksPerWorker();
                }
            });
            if (prestart > 0) {
                engine.prestart(prestart);
            }
            return new JvmPool(engine);
        }

        /** The command line up to the main class. */
        private List<String> command() {
            List<String> command = new ArrayList<>();
            Path java = javaExecutable != null ? javaExecutable : Path.of(System.getProperty("java.home"), "bin", "java");
            command.add(java.toString());
            List<String> user = jvmOptions == null ? List.of() : jvmOptions;
            if (user.stream().noneMatch(o -> o.startsWith("-Xmx") || o.startsWith("-XX:MaxRAM"))) {
                command.add("-Xmx" + DEFAULT_HEAP);
            }
            if (user.stream().noneMatch(o -> o.matches("-XX:[+-]Use\\w+GC"))) {
                command.add("-XX:+UseSerialGC");
            }
            command.add("-XX:+ExitOnOutOfMemoryError");
            command.add("-XX:+DisplayVMOutputToStderr");    // the JVM's own messages, such as an OOM's, never reach stdout
            List<String> modules = modulePath();
            // An explicit module path replaces this JVM's class path too, which would repeat it.
            String cp = classpath != null ? String.join(File.pathSeparator, classpath)
                    : modulePath != null && !modulePath.isEmpty() ? "" : System.getProperty("java.class.path", "");
            if (modules.isEmpty()) {
                command.add("--enable-native-access=ALL-UNNAMED");
                command.addAll(user);
                command.add("-cp");
                command.add(cp);
                if (addModules != null) {
                    command.add("--add-modules=" + String.join(",", addModules));
                }
                return command;
            }
            boolean onClassPath = !cp.isBlank();
            command.add("--enable-native-access=" + NATIVE_MODULES + (onClassPath ? ",ALL-UNNAMED" : ""));
            command.addAll(user);
            command.add("--module-path");
            command.add(String.join(File.pathSeparator, modules));
            if (onClassPath) {
                command.add("-cp");
                command.add(cp);
            }
            // dev.parx.ipc is resolved as a root, so the launcher loads the main class from it, as --module would.
            command.add("--add-modules=" + MAIN_MODULE + ","
                    + String.join(",", addModules != null ? addModules : List.of("ALL-MODULE-PATH")));
            return command;
        }

        /** The children's module path: the one set, else this JVM's if parx-ipc runs as a named module. */
        private List<String> modulePath() {
            if (modulePath != null) {
                return modulePath;
            }
            String own = System.getProperty("jdk.module.path");
            if (own == null || own.isBlank() || !JvmPool.class.getModule().isNamed()) {
                return List.of();
            }
            return List.of(own.split(Pattern.quote(File.pathSeparator)));
        }

        private static Duration positive(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return value;
        }

        private static void unset(boolean unset, String setting) {
            if (!unset) {
                throw new IllegalStateException(setting + " was already set");
            }
        }
    }
}
