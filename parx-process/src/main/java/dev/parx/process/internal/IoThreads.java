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
 * The threads that read and write command pipes, and the one timer thread. Pipe I/O blocks, so
 * each stream being pumped holds a thread; the pool grows with the number of running commands
 * and idle threads stop after a few seconds. All threads are daemons: they never keep the JVM up.
 */
public final class IoThreads {

    private static final Duration KEEP_ALIVE = Duration.ofSeconds(
            Long.getLong("parx.process.ioKeepAliveSeconds", 5));

    private static final ExecutorService IO = new ThreadPoolExecutor(0, Integer.MAX_VALUE,
            KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS, new SynchronousQueue<>(), daemons("parx-process-io-"));

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
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
