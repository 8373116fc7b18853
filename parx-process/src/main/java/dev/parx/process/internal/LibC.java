package dev.parx.process.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The glibc functions that start, signal and reap commands and move bytes through their pipes,
 * bound once through the FFM API. Loading this class binds every symbol and fails with an
 * {@link UnsatisfiedLinkError} if one is missing; only {@link NativeSpawn} loads it, after it
 * checked the platform and that this module may call native code, so that no JVM ever prints a
 * restricted-method warning because of parx.
 *
 * <p>The constants are those of Linux on x86-64 and AArch64 (the only platforms on which the
 * bindings are used). Every method is a plain system call: thread-safe, and blocking where the
 * call blocks. Methods that report {@code errno} return {@code -errno} on failure.
 */
@SuppressWarnings("restricted") // NativeSpawn loads this class only where native access is enabled
final class LibC {

    static final int O_RDONLY = 0;
    static final int O_WRONLY = 1;
    static final int O_CLOEXEC = 0x80000;
    static final int F_DUPFD_CLOEXEC = 1030;
    static final int FIONREAD = 0x541B;

    static final int ESRCH = 3;
    static final int EINTR = 4;
    static final int ENOEXEC = 8;
    static final int EINVAL = 22;

    static final int SIGKILL = 9;
    static final int SIGTERM = 15;
    static final int SIGSTOP = 19;
    /** The highest signal number, real-time signals included. */
    static final int LAST_SIGNAL = 64;

    static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    /** Since glibc 2.26: the child calls {@code setsid()} and so leads a new session and process group. */
    static final short POSIX_SPAWN_SETSID = 0x80;

    private static final int P_PID = 1;
    private static final int WEXITED = 4;
    private static final int WNOWAIT = 0x01000000;

    /** Bigger than glibc's {@code posix_spawnattr_t} (336 bytes) and {@code posix_spawn_file_actions_t} (80). */
    static final long SPAWN_STRUCT_BYTES = 512;
    /** glibc's {@code sigset_t}. */
    static final long SIGSET_BYTES = 128;
    private static final long SIGINFO_BYTES = 128;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LOOKUP = LINKER.defaultLookup();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle CAPTURED_ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final MethodHandle PIPE2 = bind("pipe2", JAVA_INT, ERRNO, ADDRESS, JAVA_INT);
    private static final MethodHandle CLOSE = bind("close", JAVA_INT, null, JAVA_INT);
    private static final MethodHandle READ = bind("read", JAVA_LONG, ERRNO, JAVA_INT, ADDRESS, JAVA_LONG);
    private static final MethodHandle WRITE = bind("write", JAVA_LONG, ERRNO, JAVA_INT, ADDRESS, JAVA_LONG);
    private static final MethodHandle OPEN = variadic("open", 2, ERRNO, ADDRESS, JAVA_INT, JAVA_INT);
    private static final MethodHandle FCNTL = variadic("fcntl", 2, null, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle IOCTL = variadic("ioctl", 2, null, JAVA_INT, JAVA_LONG, ADDRESS);
    private static final MethodHandle KILL = bind("kill", JAVA_INT, ERRNO, JAVA_INT, JAVA_INT);
    private static final MethodHandle WAITID = bind("waitid", JAVA_INT, ERRNO, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle WAITPID = bind("waitpid", JAVA_INT, ERRNO, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle STRERROR = bind("strerror", ADDRESS, null, JAVA_INT);

    static final MethodHandle POSIX_SPAWN = bind("posix_spawn", JAVA_INT, null,
            ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
    static final MethodHandle FILE_ACTIONS_INIT = bind("posix_spawn_file_actions_init", JAVA_INT, null, ADDRESS);
    static final MethodHandle FILE_ACTIONS_DESTROY = bind("posix_spawn_file_actions_destroy", JAVA_INT, null, ADDRESS);
    static final MethodHandle ADD_DUP2 = bind("posix_spawn_file_actions_adddup2", JAVA_INT, null,
            ADDRESS, JAVA_INT, JAVA_INT);
    static final MethodHandle ADD_OPEN = bind("posix_spawn_file_actions_addopen", JAVA_INT, null,
            ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    /** glibc 2.29. */
    static final MethodHandle ADD_CHDIR = bind("posix_spawn_file_actions_addchdir_np", JAVA_INT, null,
            ADDRESS, ADDRESS);
    /** glibc 2.34. */
    static final MethodHandle ADD_CLOSEFROM = bind("posix_spawn_file_actions_addclosefrom_np", JAVA_INT, null,
            ADDRESS, JAVA_INT);
    static final MethodHandle ATTR_INIT = bind("posix_spawnattr_init", JAVA_INT, null, ADDRESS);
    static final MethodHandle ATTR_SETFLAGS = bind("posix_spawnattr_setflags", JAVA_INT, null, ADDRESS, JAVA_SHORT);
    static final MethodHandle ATTR_SETSIGMASK = bind("posix_spawnattr_setsigmask", JAVA_INT, null, ADDRESS, ADDRESS);
    static final MethodHandle ATTR_SETSIGDEFAULT = bind("posix_spawnattr_setsigdefault", JAVA_INT, null,
            ADDRESS, ADDRESS);
    static final MethodHandle SIGEMPTYSET = bind("sigemptyset", JAVA_INT, null, ADDRESS);
    static final MethodHandle SIGADDSET = bind("sigaddset", JAVA_INT, null, ADDRESS, JAVA_INT);

    /** The C library's {@code environ} variable: the address of this process's live environment. */
    private static final MemorySegment ENVIRON = LOOKUP.find("environ").orElseThrow(
            () -> new UnsatisfiedLinkError("environ")).reinterpret(ADDRESS.byteSize());

    private LibC() {
    }

    /**
     * Returns the size of the segment that {@link #read} and {@link #write} need for {@code errno}.
     *
     * @return the size in bytes
     */
    static long captureBytes() {
        return CAPTURE.byteSize();
    }

    /**
     * Creates a pipe whose two ends are close-on-exec.
     *
     * @return the read end and the write end
     * @throws IOException if the process or system is out of descriptors
     */
    static int[] pipe() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            MemorySegment capture = arena.allocate(CAPTURE);
            int result = (int) PIPE2.invokeExact(capture, fds, O_CLOEXEC);
            if (result != 0) {
                throw new IOException("pipe2: " + strerror(errno(capture)));
            }
            return new int[] {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Closes a descriptor. Never retried: on Linux the descriptor is gone even if close reports EINTR.
     *
     * @param fd the descriptor
     */
    static void close(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Reads once.
     *
     * @param capture a segment of {@link #captureBytes()} for {@code errno}
     * @param fd the descriptor
     * @param buffer where to put the bytes
     * @param count the most bytes to read
     * @return the bytes read, 0 at end-of-file, or {@code -errno}
     */
    static long read(MemorySegment capture, int fd, MemorySegment buffer, long count) {
        try {
            long n = (long) READ.invokeExact(capture, fd, buffer, count);
            return n >= 0 ? n : -errno(capture);
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Writes once.
     *
     * @param capture a segment of {@link #captureBytes()} for {@code errno}
     * @param fd the descriptor
     * @param buffer the bytes
     * @param count how many
     * @return the bytes written, or {@code -errno}
     */
    static long write(MemorySegment capture, int fd, MemorySegment buffer, long count) {
        try {
            long n = (long) WRITE.invokeExact(capture, fd, buffer, count);
            return n >= 0 ? n : -errno(capture);
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Returns how many bytes can be read from a pipe without blocking.
     *
     * @param fd the descriptor
     * @return the count, or 0 if unknown
     */
    static int available(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment count = arena.allocate(JAVA_INT);
            int result = (int) IOCTL.invokeExact(fd, (long) FIONREAD, count);
            return result == 0 ? Math.max(0, count.get(JAVA_INT, 0)) : 0;
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Opens a file, close-on-exec.
     *
     * @param capture a segment of {@link #captureBytes()} for {@code errno}
     * @param path the path, a C string
     * @param flags {@link #O_RDONLY} or {@link #O_WRONLY}
     * @return the descriptor, or -1 with {@code errno} in {@code capture}
     */
    static int open(MemorySegment capture, MemorySegment path, int flags) {
        try {
            return (int) OPEN.invokeExact(capture, path, flags | O_CLOEXEC, 0);
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Duplicates a descriptor to the lowest free number of at least {@code minimum}, close-on-exec.
     *
     * @param fd the descriptor
     * @param minimum the lowest number wanted
     * @return the new descriptor, or -1
     */
    static int duplicateAbove(int fd, int minimum) {
        try {
            return (int) FCNTL.invokeExact(fd, F_DUPFD_CLOEXEC, minimum);
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Sends a signal.
     *
     * @param pid a process id, or minus a process-group id
     * @param signal the signal number
     * @return 0, or {@code -errno}
     */
    static int kill(int pid, int signal) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = arena.allocate(CAPTURE);
            int result = (int) KILL.invokeExact(capture, pid, signal);
            return result == 0 ? 0 : -errno(capture);
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Blocks until a child exited, without reaping it: it stays a zombie, and its pid cannot be
     * reused, until {@link #reap}. Retries on EINTR.
     *
     * @param pid the child
     * @return 0, or {@code -errno}
     */
    static int awaitExit(int pid) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = arena.allocate(CAPTURE);
            MemorySegment info = arena.allocate(SIGINFO_BYTES);
            while (true) {
                int result = (int) WAITID.invokeExact(capture, P_PID, pid, info, WEXITED | WNOWAIT);
                if (result == 0) {
                    return 0;
                }
                int errno = errno(capture);
                if (errno != EINTR) {
                    return -errno;
                }
            }
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Reaps a child, blocking until it exited; retries on EINTR.
     *
     * @param pid the child
     * @return its exit code as the JDK reports it (128 + the signal number for a child killed by a
     *     signal), or {@code -errno} if it cannot be reaped
     */
    static int reap(int pid) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = arena.allocate(CAPTURE);
            MemorySegment status = arena.allocate(JAVA_INT);
            while (true) {
                int result = (int) WAITPID.invokeExact(capture, pid, status, 0);
                if (result == pid) {
                    return exitCode(status.get(JAVA_INT, 0));
                }
                int errno = errno(capture);
                if (result >= 0 || errno != EINTR) {
                    return -Math.max(1, errno);
                }
            }
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Decodes a wait status the way the JDK and shells do: the exit status of a child that exited,
     * 128 plus the signal number for one that a signal killed.
     *
     * @param status the status from {@code waitpid}
     * @return the exit code
     */
    static int exitCode(int status) {
        int signal = status & 0x7f;
        return signal == 0 ? (status >> 8) & 0xff : 0x80 + signal;
    }

    /**
     * Describes an error number.
     *
     * @param errno the number
     * @return the C library's message, such as "No such file or directory"
     */
    static String strerror(int errno) {
        try {
            MemorySegment message = (MemorySegment) STRERROR.invokeExact(errno);
            return message.equals(MemorySegment.NULL) ? "error " + errno
                    : message.reinterpret(1024).getString(0);
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Returns this process's environment as the C library holds it now.
     *
     * @return the {@code char **} to pass as a child's environment
     */
    static MemorySegment environ() {
        return ENVIRON.get(ADDRESS, 0);
    }

    /**
     * Reads the {@code errno} a call captured.
     *
     * @param capture the segment given to the call
     * @return the error number
     */
    static int errno(MemorySegment capture) {
        return (int) CAPTURED_ERRNO.get(capture, 0L);
    }

    /**
     * Allocates a segment for a call's captured {@code errno}.
     *
     * @param arena the arena
     * @return the segment
     */
    static MemorySegment captureSegment(Arena arena) {
        return arena.allocate(CAPTURE);
    }

    private static MethodHandle bind(String name, MemoryLayout result, Linker.Option option, MemoryLayout... args) {
        MemorySegment symbol = LOOKUP.find(name).orElseThrow(() -> new UnsatisfiedLinkError(name));
        FunctionDescriptor descriptor = FunctionDescriptor.of(result, args);
        return option == null ? LINKER.downcallHandle(symbol, descriptor)
                : LINKER.downcallHandle(symbol, descriptor, option);
    }

    private static MethodHandle variadic(String name, int fixedArgs, Linker.Option option, MemoryLayout... args) {
        MemorySegment symbol = LOOKUP.find(name).orElseThrow(() -> new UnsatisfiedLinkError(name));
        FunctionDescriptor descriptor = FunctionDescriptor.of(JAVA_INT, args);
        Linker.Option variadic = Linker.Option.firstVariadicArg(fixedArgs);
        return option == null ? LINKER.downcallHandle(symbol, descriptor, variadic)
                : LINKER.downcallHandle(symbol, descriptor, variadic, option);
    }
}
