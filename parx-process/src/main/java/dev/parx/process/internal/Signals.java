package dev.parx.process.internal;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Locale;

/**
 * The few system calls that signal processes, bound through the FFM API on their own: used by this
 * JVM's tree kill and by the {@link GuardianMain guardian process}, which must not load
 * {@link LibC} (that class binds every spawn function and needs glibc 2.34) nor anything that
 * needs more than {@code java.base}.
 *
 * <p>The functions are bound on first use, and only where that works without a warning: on Linux or
 * macOS, where the numbers used here are the same, when this class's module may call native code.
 * Otherwise {@link #available()} is false and no method may be called. Thread-safe.
 */
@SuppressWarnings("restricted") // bound only where native access is enabled
final class Signals {

    static final int SIGKILL = 9;
    static final int SIGTERM = 15;
    static final int ESRCH = 3;

    private static final boolean AVAILABLE = platform() && Signals.class.getModule().isNativeAccessEnabled();

    // Bound on first use: binding costs a JVM tens of milliseconds, which a starting guardian must not pay.
    private static StructLayout capture;    // guarded by Signals.class
    private static VarHandle errno;         // guarded by Signals.class
    private static MethodHandle kill;       // guarded by Signals.class
    private static MethodHandle setsid;     // guarded by Signals.class

    private Signals() {
    }

    /**
     * Returns whether the system calls can be made in this JVM.
     *
     * @return true on Linux and macOS with native access enabled for this module; binding the
     *     functions cannot fail there, as every C library has them
     */
    static boolean available() {
        return AVAILABLE;
    }

    /**
     * Sends a signal.
     *
     * @param pid a process id, or minus a process-group id; never -1, 0 or 1 in absolute value
     * @param signal the signal number, or 0 to check that the target exists
     * @return 0, or {@code -errno}
     */
    static int kill(long pid, int signal) {
        if (Math.abs(pid) <= 1 || pid != (int) pid) {
            throw new IllegalArgumentException("refusing to signal " + pid); // -1 means every process
        }
        MethodHandle handle;
        StructLayout layout;
        VarHandle error;
        synchronized (Signals.class) {
            if (kill == null) {
                capture = Linker.Option.captureStateLayout();
                errno = capture.varHandle(MemoryLayout.PathElement.groupElement("errno"));
                kill = bind("kill", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT),
                        Linker.Option.captureCallState("errno"));
            }
            handle = kill;
            layout = capture;
            error = errno;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(layout);
            int result = (int) handle.invokeExact(state, (int) pid, signal);
            return result == 0 ? 0 : -(int) error.get(state, 0L);
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Makes this process the leader of a new session and process group, unless it already leads a
     * process group (then the call fails, harmlessly).
     *
     * @return true if it now leads a new session
     */
    static boolean newSession() {
        try {
            MethodHandle handle;
            synchronized (Signals.class) {
                if (setsid == null) {
                    setsid = bind("setsid", FunctionDescriptor.of(JAVA_INT));
                }
                handle = setsid;
            }
            return (int) handle.invokeExact() >= 0;
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    private static MethodHandle bind(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        Linker linker = Linker.nativeLinker();
        MemorySegment symbol = linker.defaultLookup().find(name).orElseThrow(() -> new UnsatisfiedLinkError(name));
        return linker.downcallHandle(symbol, descriptor, options);
    }

    private static boolean platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        return os.equals("linux") || os.startsWith("mac");
    }
}
