package dev.parx.process.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.parx.process.CommandStartException;
import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a child with glibc's {@code posix_spawn}, called through the FFM API: one
 * {@code clone}+{@code exec} per command, where the JDK needs two ({@code jspawnhelper}, then the
 * program) and parx's fallback three ({@code setsid} in between). {@link NativeLaunch} creates
 * the descriptors of a command or a pipeline and calls this for each stage.
 *
 * <p>The child is set up as the JDK and the {@code setsid} wrapper set it up, and no more:
 * <ul>
 *   <li>{@code POSIX_SPAWN_SETSID}: it leads a new session and process group, so the whole tree
 *       can be signalled ({@link ProcessTrees});</li>
 *   <li>an empty signal mask and the default action for every signal, even those this JVM
 *       ignores or blocks, as a program started from a shell expects;</li>
 *   <li>stdin, stdout and stderr from close-on-exec pipes (or {@code /dev/null}, a file, the next
 *       stage of a pipeline), and every other descriptor closed ({@code closefrom(3)}): the JDK
 *       does not mark all of its descriptors close-on-exec, and a command holding the guardian's
 *       pipe would keep it from noticing this JVM's death;</li>
 *   <li>the working directory, and the environment computed as {@link ProcessBuilder} computes
 *       it (this JVM's live environment when the command changes nothing).</li>
 * </ul>
 *
 * <p>Whether it is used is decided once per JVM: on Linux on x86-64 or AArch64 with glibc 2.34 or
 * later, if this module may call native code ({@code --enable-native-access=dev.parx.process}, or
 * {@code ALL-UNNAMED} on the class path) and the system property {@value #PROPERTY} is not
 * {@code jdk}. Otherwise parx starts commands through {@code ProcessBuilder} and {@code setsid},
 * with the same behaviour, more slowly. Checking native access first means that parx never makes
 * the JVM print a restricted-method warning.
 *
 * <p>Thread-safe: the spawn attributes are built once and only read afterwards; everything else
 * lives in a confined arena per spawn.
 */
final class NativeSpawn {

    private static final Logger LOG = LoggerFactory.getLogger(NativeSpawn.class);

    /** The system property that chooses how commands start: {@code auto} (the default) or {@code jdk}. */
    static final String PROPERTY = "parx.process.spawn";

    private static final String DEV_NULL = "/dev/null";
    private static final String SHELL = "/bin/sh";
    /** File names go to the kernel as the JVM's file system encodes them. */
    private static final Charset JNU = Encodings.jnu();
    /** Arguments and environment: UTF-8 where the locale would make them ASCII. */
    private static final Charset ARGUMENTS = Encodings.arguments();

    /** The spawn attributes shared by every command, or null if native spawning is not used. */
    private static final MemorySegment ATTRIBUTES;
    /** Why native spawning is not used, or null if it is. */
    private static final String UNAVAILABLE;

    static {
        String why = precheck();
        MemorySegment attributes = null;
        if (why == null) {
            try {
                attributes = attributes();
                if (attributes == null) {
                    why = "this glibc has no POSIX_SPAWN_SETSID";
                }
            } catch (LinkageError | RuntimeException e) {
                // Unexpected where every symbol was found: say so, and keep commands working.
                why = "binding the C library failed: " + e;
                LOG.warn("parx starts commands through ProcessBuilder and setsid: {}", why, e);
            }
        }
        ATTRIBUTES = attributes;
        UNAVAILABLE = why;
        if (why == null) {
            LOG.debug("commands start with posix_spawn");
        } else if (why.startsWith("native access")) {
            LOG.info("parx starts commands through ProcessBuilder and setsid, an extra exec each: {}", why);
        } else {
            LOG.debug("commands start through ProcessBuilder and setsid: {}", why);
        }
    }

    private NativeSpawn() {
    }

    /**
     * Returns whether commands start with {@code posix_spawn}; decided once per JVM.
     *
     * @return true if they do
     */
    static boolean available() {
        return UNAVAILABLE == null;
    }

    /**
     * Returns why commands do not start with {@code posix_spawn}.
     *
     * @return the reason, or null if they do
     */
    static String unavailableReason() {
        return UNAVAILABLE;
    }

    private static String precheck() {
        String choice = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        if (choice.equals("jdk")) {
            return "-D" + PROPERTY + "=jdk";
        }
        if (!choice.equals("auto")) {
            LOG.warn("unknown -D{}={}; expected auto or jdk", PROPERTY, choice);
        }
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "");
        if (!os.equals("Linux") || !(arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"))) {
            return "not Linux on x86-64 or AArch64 (" + os + " " + arch + ")";
        }
        if (!NativeSpawn.class.getModule().isNativeAccessEnabled()) {
            Module module = NativeSpawn.class.getModule();
            return "native access is not enabled for " + (module.isNamed() ? "module " + module.getName()
                    : "the class path") + "; run java with --enable-native-access="
                    + (module.isNamed() ? module.getName() : "ALL-UNNAMED") + " to start commands with posix_spawn";
        }
        // Looking symbols up is not restricted; binding them is.
        var lookup = Linker.nativeLinker().defaultLookup();
        if (lookup.find("gnu_get_libc_version").isEmpty()) {
            return "the C library is not glibc";
        }
        if (lookup.find("posix_spawn_file_actions_addclosefrom_np").isEmpty()) {
            return "glibc is older than 2.34 (no posix_spawn_file_actions_addclosefrom_np)";
        }
        if (!Files.isReadable(Path.of("/proc/self/stat"))) {
            return "/proc is not mounted";
        }
        return null;
    }

    /** Builds the attributes every spawn uses, or returns null if glibc refuses POSIX_SPAWN_SETSID. */
    private static MemorySegment attributes() {
        try {
            Arena arena = Arena.global();
            MemorySegment attributes = arena.allocate(LibC.SPAWN_STRUCT_BYTES, 16);
            MemorySegment none = arena.allocate(LibC.SIGSET_BYTES, 16);
            MemorySegment defaults = arena.allocate(LibC.SIGSET_BYTES, 16);
            check((int) LibC.ATTR_INIT.invokeExact(attributes), "posix_spawnattr_init");
            check((int) LibC.SIGEMPTYSET.invokeExact(none), "sigemptyset");
            check((int) LibC.ATTR_SETSIGMASK.invokeExact(attributes, none), "posix_spawnattr_setsigmask");
            check((int) LibC.SIGEMPTYSET.invokeExact(defaults), "sigemptyset");
            for (int signal = 1; signal <= LibC.LAST_SIGNAL; signal++) {
                if (signal != LibC.SIGKILL && signal != LibC.SIGSTOP) { // their actions cannot be set
                    // Fails, harmlessly, for the two signals glibc reserves for itself.
                    int ignored = (int) LibC.SIGADDSET.invokeExact(defaults, signal);
                }
            }
            check((int) LibC.ATTR_SETSIGDEFAULT.invokeExact(attributes, defaults), "posix_spawnattr_setsigdefault");
            short flags = (short) (LibC.POSIX_SPAWN_SETSID | LibC.POSIX_SPAWN_SETSIGMASK | LibC.POSIX_SPAWN_SETSIGDEF);
            int result = (int) LibC.ATTR_SETFLAGS.invokeExact(attributes, flags);
            if (result == LibC.EINVAL) {
                return null; // glibc before 2.26 rejects flags it does not know
            }
            check(result, "posix_spawnattr_setflags");
            return attributes;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    private static void check(int result, String call) {
        if (result != 0) {
            throw new IllegalStateException(call + " failed: " + LibC.strerror(result));
        }
    }

    /**
     * Starts one child. Blocks until the child executed the program (or failed to).
     *
     * @param spec the command's settings: working directory, environment, stderr
     * @param argv the program (absolute) and its arguments
     * @param stdin the descriptor to become the child's stdin
     * @param stdout the descriptor to become its stdout, or -1 for {@code /dev/null}
     * @param stderr the descriptor to become its stderr, or -1 for {@code /dev/null} (ignored if
     *     {@code spec} merges stderr into stdout)
     * @param display the command as the user wrote it, for errors
     * @return the child's pid; it must be reaped
     * @throws CommandStartException if the program could not be executed
     */
    static int spawn(Spec spec, List<String> argv, int stdin, int stdout, int stderr, List<String> display) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment actions = arena.allocate(LibC.SPAWN_STRUCT_BYTES, 16);
            check((int) LibC.FILE_ACTIONS_INIT.invokeExact(actions), "posix_spawn_file_actions_init");
            try {
                MemorySegment devNull = arena.allocateFrom(DEV_NULL);
                check((int) LibC.ADD_DUP2.invokeExact(actions, stdin, 0), "adddup2");
                if (stdout >= 0) {
                    check((int) LibC.ADD_DUP2.invokeExact(actions, stdout, 1), "adddup2");
                } else {
                    check((int) LibC.ADD_OPEN.invokeExact(actions, 1, devNull, LibC.O_WRONLY, 0), "addopen");
                }
                if (spec.mergeStderr) {
                    check((int) LibC.ADD_DUP2.invokeExact(actions, 1, 2), "adddup2");
                } else if (stderr >= 0) {
                    check((int) LibC.ADD_DUP2.invokeExact(actions, stderr, 2), "adddup2");
                } else {
                    check((int) LibC.ADD_OPEN.invokeExact(actions, 2, devNull, LibC.O_WRONLY, 0), "addopen");
                }
                if (spec.directory != null) {
                    MemorySegment directory = arena.allocateFrom(spec.directory.toString(), JNU);
                    check((int) LibC.ADD_CHDIR.invokeExact(actions, directory), "addchdir_np");
                }
                check((int) LibC.ADD_CLOSEFROM.invokeExact(actions, 3), "addclosefrom_np");

                MemorySegment envp = environment(spec, arena, display);
                MemorySegment pid = arena.allocate(JAVA_INT);
                String program = argv.getFirst();
                int result = (int) LibC.POSIX_SPAWN.invokeExact(pid, cString(arena, program), actions, ATTRIBUTES,
                        cStrings(arena, argv, display), envp);
                if (result == LibC.ENOEXEC) {
                    // An executable without a #! line: run it with the shell, as execvp() does.
                    List<String> viaShell = new ArrayList<>(argv.size() + 1);
                    viaShell.add(SHELL);
                    viaShell.addAll(argv);
                    result = (int) LibC.POSIX_SPAWN.invokeExact(pid, cString(arena, SHELL), actions, ATTRIBUTES,
                            cStrings(arena, viaShell, display), envp);
                }
                if (result != 0) {
                    throw new CommandStartException(display, "program '" + program + "' could not be started: "
                            + LibC.strerror(result) + " (error " + result + ")", null);
                }
                return pid.get(JAVA_INT, 0);
            } finally {
                int ignored = (int) LibC.FILE_ACTIONS_DESTROY.invokeExact(actions);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Returns the child's environment: this JVM's live one if the command changes nothing (as the
     * JDK passes it), else {@link System#getenv()} with the changes, validated as
     * {@link ProcessBuilder#environment()} validates them.
     */
    private static MemorySegment environment(Spec spec, Arena arena, List<String> display) {
        if (spec.inheritEnv && spec.envChanges.isEmpty()) {
            return LibC.environ();
        }
        Map<String, String> environment = spec.inheritEnv ? new HashMap<>(System.getenv()) : new HashMap<>();
        spec.envChanges.forEach((name, value) -> {
            if (value == null) {
                environment.remove(name);
            } else {
                if (name.indexOf('=') >= 0 || name.indexOf('\u0000') >= 0) {
                    throw new IllegalArgumentException("Invalid environment variable name: \"" + name + "\"");
                }
                if (value.indexOf('\u0000') >= 0) {
                    throw new IllegalArgumentException("Invalid environment variable value: \"" + value + "\"");
                }
                environment.put(name, value);
            }
        });
        MemorySegment array = arena.allocate(ADDRESS, environment.size() + 1L);
        int i = 0;
        for (Map.Entry<String, String> variable : environment.entrySet()) {
            String entry = variable.getKey() + "=" + variable.getValue();
            array.setAtIndex(ADDRESS, i++, argument(arena, entry, "environment variable", display));
        }
        array.setAtIndex(ADDRESS, i, MemorySegment.NULL);
        return array;
    }

    private static MemorySegment cStrings(Arena arena, List<String> strings, List<String> display) {
        MemorySegment array = arena.allocate(ADDRESS, strings.size() + 1L);
        for (int i = 0; i < strings.size(); i++) {
            String string = strings.get(i);
            if (string.indexOf('\u0000') >= 0) {
                throw new CommandStartException(display, "invalid null character in command", null);
            }
            array.setAtIndex(ADDRESS, i, argument(arena, string, "argument", display));
        }
        array.setAtIndex(ADDRESS, strings.size(), MemorySegment.NULL);
        return array;
    }

    /** Copies an argument or environment entry into native memory, NUL-terminated. */
    private static MemorySegment argument(Arena arena, String string, String what, List<String> display) {
        Encodings.checkEncodable(ARGUMENTS, string, what, display);
        return arena.allocateFrom(string, ARGUMENTS);
    }

    /**
     * Copies a file name into native memory as the JDK passes file names to the OS: in the
     * {@code sun.jnu.encoding} charset, NUL-terminated.
     *
     * @param arena where to allocate
     * @param string the string
     * @return the C string
     */
    static MemorySegment cString(Arena arena, String string) {
        return arena.allocateFrom(string, JNU);
    }

}