package dev.parx.threads.internal;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;

/**
 * Linux's {@code futex(2)} on shared (not process-private) memory, through the Foreign Function
 * API: a thread of any process that maps the same file and waits on an int is woken by a wake on
 * that int from any other. Used by mapped buffers so that {@code notify} reaches waiters in other
 * processes. Available only on Linux (x86-64, AArch64) when this module may call native code
 * ({@code --enable-native-access}); elsewhere {@link #AVAILABLE} is false and callers poll.
 *
 * <p>Addresses are passed raw, not as segments, so a wait never keeps the memory's arena from
 * closing: a wait on memory unmapped meanwhile fails ({@code EFAULT}) or sleeps out its (short)
 * timeout, both harmless as the caller re-checks. Thread-safe.
 */
public final class Futex {

    /** Whether futex waits and wakes work here. */
    public static final boolean AVAILABLE;
    private static final MethodHandle SYSCALL;
    private static final long SYS_FUTEX;
    private static final long FUTEX_WAIT = 0;
    private static final long FUTEX_WAKE = 1;
    /** A {@code struct timespec} per thread, for the wait's timeout. */
    private static final ThreadLocal<MemorySegment> TIMESPEC =
            ThreadLocal.withInitial(() -> java.lang.foreign.Arena.ofAuto().allocate(16, 8));

    static {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        long number = switch (arch) {
            case "amd64", "x86_64" -> 202;
            case "aarch64" -> 98;
            default -> -1;
        };
        MethodHandle syscall = null;
        if (os.startsWith("linux") && number > 0 && Futex.class.getModule().isNativeAccessEnabled()) {
            try {
                Linker linker = Linker.nativeLinker();
                syscall = linker.defaultLookup().find("syscall").map(address -> linker.downcallHandle(address,
                        // long syscall(long number, ...): every variadic argument passed as a whole register
                        FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS,
                                ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                                ValueLayout.JAVA_LONG),
                        Linker.Option.firstVariadicArg(1))).orElse(null);
            } catch (RuntimeException | LinkageError unavailable) {
                syscall = null;
            }
        }
        SYSCALL = syscall;
        SYS_FUTEX = number;
        AVAILABLE = syscall != null;
    }

    private Futex() {
    }

    /**
     * Sleeps while the int at {@code address} holds {@code expected}, until a {@link #wake} on it,
     * the timeout, or a spurious return; returns at once if it holds another value. The caller
     * re-checks whatever it waits for.
     *
     * @param address the int, 4-byte aligned, in shared memory
     * @param expected the value to sleep on
     * @param nanos the longest sleep, positive
     */
    public static void await(long address, int expected, long nanos) {
        MemorySegment timespec = TIMESPEC.get();
        timespec.set(ValueLayout.JAVA_LONG, 0, nanos / 1_000_000_000L);
        timespec.set(ValueLayout.JAVA_LONG, 8, nanos % 1_000_000_000L);
        call(address, FUTEX_WAIT, expected, timespec);
    }

    /**
     * Wakes every thread, of any process, sleeping in {@link #await} on the int at {@code address}.
     *
     * @param address the int, 4-byte aligned, in shared memory
     */
    public static void wake(long address) {
        call(address, FUTEX_WAKE, Integer.MAX_VALUE, MemorySegment.NULL);
    }

    private static void call(long address, long operation, int value, MemorySegment timeout) {
        try {
            long ignored = (long) SYSCALL.invokeExact(SYS_FUTEX, MemorySegment.ofAddress(address), operation,
                    value & 0xffff_ffffL, timeout, MemorySegment.NULL, 0L);
        } catch (Throwable impossible) {
            throw new IllegalStateException("futex failed", impossible);
        }
    }
}
