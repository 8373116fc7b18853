package dev.parx.process.internal;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that read and write command pipes, the threads that wait for natively spawned
 * commands to exit, and the one timer thread. Pipe I/O and waiting block, so each stream being
 * pumped and each command being waited for holds a thread; the pools grow with the number of
 * running commands and idle threads stop after a few seconds. All threads are daemon platform
 * threads: they never keep the JVM up, and a blocking native call never pins a virtual thread's
 * carrier.
 */
public final class IoThreads {

    private static final Duration KEEP_ALIVE = Duration.ofSeconds(
            Long.getLong("parx.process.ioKeepAliveSeconds", 5));

    private static final ExecutorService IO = new ThreadPoolExecutor(0, Integer.MAX_VALUE,
            KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS, new SynchronousQueue<>(), daemons("parx-process-io-"));

    /** Waiting threads do little but sit in {@code waitid}: a small stack is plenty. */
    private static final long REAPER_STACK_BYTES = 256 * 1024;

    private static final ExecutorService REAPER = new ThreadPoolExecutor(0, Integer.MAX_VALUE,
            KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS, new SynchronousQueue<>(),
            daemons("parx-process-reaper-", REAPER_STACK_BYTES));

    private static final ScheduledThreadPoolExecutor TIMER = newTimer();

    private IoThreads() {
    }

    /**
     * Returns the executor for blocking pipe work.
     *
     * @return the executor
     */
    public static ExecutorService io() {
        return IO;
    }

    /**
     * Returns the executor whose threads wait for natively spawned commands to exit and reap them.
     * Its tasks block until a command exits and do nothing else.
     *
     * @return the executor
     */
    static ExecutorService reaper() {
        return REAPER;
    }

    /**
     * Returns the timer that fires command timeouts. Its tasks must not block.
     *
     * @return the timer
     */
    public static ScheduledThreadPoolExecutor timer() {
        return TIMER;
    }

    private static ScheduledThreadPoolExecutor newTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, daemons("parx-process-timer-"));
        timer.setRemoveOnCancelPolicy(true);
        timer.setKeepAliveTime(KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS);
        timer.allowCoreThreadTimeOut(true);
        return timer;
    }

    private static ThreadFactory daemons(String prefix) {
        return daemons(prefix, 0);
    }

    private static ThreadFactory daemons(String prefix, long stackBytes) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(null, task, prefix + count.incrementAndGet(), stackBytes);
            thread.setDaemon(true);
            return thread;
        };
    }
}
