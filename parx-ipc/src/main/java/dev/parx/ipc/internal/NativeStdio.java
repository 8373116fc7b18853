package dev.parx.ipc.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

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
 * The C library calls that move a child's file descriptor 1, bound through the FFM API. Loading
 * this class binds them; only {@link StdoutGuard} loads it, after it checked that binding works
 * here without a restricted-method warning (a class that merely asked here would be loaded and bind).
 *
 * <p>The constants are Linux's on x86-64 and AArch64, the only platforms where it is used. Every
 * method is one system call (retried on {@code EINTR} where that is safe): thread-safe, blocking
 * where the call blocks.
 */
@SuppressWarnings("restricted") // loaded only where native access is enabled
final class NativeStdio {

    static final int STDOUT = 1;

    private static final int O_CLOEXEC = 0x80000;
    private static final int F_DUPFD_CLOEXEC = 1030;
    private static final int EINTR = 4;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LOOKUP = LINKER.defaultLookup();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    /** Each thread's segment for a call's {@code errno}, read right after the call on the same thread. */
    private static final ThreadLocal<MemorySegment> CAPTURE_SEGMENT =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE));

    private static final MethodHandle FCNTL = bind("fcntl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT),
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle PIPE2 = bind("pipe2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle DUP2 = bind("dup2", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle CLOSE = bind("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle READ = bind("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WRITE = bind("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(find("strerror"),
            FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private NativeStdio() {
    }

    /**
     * Duplicates a descriptor to the lowest free number of at least 3, close-on-exec, so that no
     * program this process starts inherits it.
     *
     * @param fd the descriptor
     * @return the new descriptor
     * @throws IOException if it cannot be duplicated
     */
    static int duplicatePrivately(int fd) throws IOException {
        return check(call(() -> (int) FCNTL.invokeExact(CAPTURE_SEGMENT.get(), fd, F_DUPFD_CLOEXEC, 3)),
                "fcntl(" + fd + ", F_DUPFD_CLOEXEC)");
    }

    /**
     * Creates a pipe whose two ends are close-on-exec.
     *
     * @return the read end and the write end
     * @throws IOException if there are no descriptors left
     */
    static int[] pipe() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            check(call(() -> (int) PIPE2.invokeExact(CAPTURE_SEGMENT.get(), fds, O_CLOEXEC)), "pipe2");
            return new int[] {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
        }
    }

    /**
     * Makes {@code target} refer to what {@code fd} refers to; {@code target} is inheritable
     * afterwards.
     *
     * @param fd the descriptor to copy
     * @param target the number it is copied to, closed first if open
     * @throws IOException if it fails
     */
    static void duplicateOnto(int fd, int target) throws IOException {
        check(call(() -> (int) DUP2.invokeExact(CAPTURE_SEGMENT.get(), fd, target)), "dup2(" + fd + ", " + target + ")");
    }

    /**
     * Closes a descriptor; never retried, as on Linux it is gone even when {@code close} says EINTR.
     *
     * @param fd the descriptor
     */
    static void close(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(CAPTURE_SEGMENT.get(), fd);
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Reads once, retrying on EINTR.
     *
     * @param fd the descriptor
     * @param buffer where the bytes go
     * @param count the most bytes to read
     * @return the count read, 0 at end of file
     * @throws IOException if the read fails
     */
    static long read(int fd, MemorySegment buffer, long count) throws IOException {
        return check(callLong(() -> (long) READ.invokeExact(CAPTURE_SEGMENT.get(), fd, buffer, count)), "read");
    }

    /**
     * Writes once, retrying on EINTR.
     *
     * @param fd the descriptor
     * @param buffer the bytes
     * @param count how many
     * @return the count written
     * @throws IOException if the write fails (a broken pipe among others)
     */
    static long write(int fd, MemorySegment buffer, long count) throws IOException {
        return check(callLong(() -> (long) WRITE.invokeExact(CAPTURE_SEGMENT.get(), fd, buffer, count)), "write");
    }

    private interface IntCall {
        int invoke() throws Throwable;
    }

    private interface LongCall {
        long invoke() throws Throwable;
    }

    /** Returns the call's result, or {@code -errno}; retries on EINTR. */
    private static long call(IntCall call) {
        return callLong(call::invoke);
    }

    private static long callLong(LongCall call) {
        try {
            while (true) {
                long result = call.invoke();
                if (result >= 0) {
                    return result;
                }
                int errno = (int) ERRNO.get(CAPTURE_SEGMENT.get(), 0L);
                if (errno != EINTR) {
                    return -Math.max(1, errno);
                }
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    private static int check(long result, String what) throws IOException {
        if (result < 0) {
            throw new IOException(what + " failed: " + strerror((int) -result));
        }
        return (int) Math.min(result, Integer.MAX_VALUE);
    }

    private static String strerror(int errno) {
        try {
            MemorySegment message = (MemorySegment) STRERROR.invokeExact(errno);
            return message.equals(MemorySegment.NULL) ? "error " + errno : message.reinterpret(1024).getString(0);
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    private static MethodHandle bind(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        Linker.Option[] all = new Linker.Option[options.length + 1];
        System.arraycopy(options, 0, all, 0, options.length);
        all[options.length] = Linker.Option.captureCallState("errno");
        return LINKER.downcallHandle(find(name), descriptor, all);
    }

    private static MemorySegment find(String name) {
        return LOOKUP.find(name).orElseThrow(() -> new UnsatisfiedLinkError(name));
    }
}
