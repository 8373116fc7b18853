package dev.parx.testkit;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Platform threads that a test starts and must not leave behind: {@link #stopAll()}, called from
 * an {@code @AfterEach} method, interrupts every one and fails the test if any is still alive ten
 * seconds later. Safe for use by several threads.
 */
public final class TestThreads {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final String namePrefix;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    /**
     * Creates an empty set of threads.
     *
     * @param namePrefix the threads are named {@code <namePrefix>-<n>}
     */
    public TestThreads(String namePrefix) {
        this.namePrefix = namePrefix;
    }

    /**
     * Starts a thread that runs {@code body}.
     *
     * @param body what the thread runs
     * @param <V> the result type
     * @return the body's result, or what it threw
     */
    public <V> CompletableFuture<V> start(Callable<V> body) {
        CompletableFuture<V> result = new CompletableFuture<>();
        Thread thread = Thread.ofPlatform().name(namePrefix + "-" + threads.size()).unstarted(() -> {
            try {
                result.complete(body.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        threads.add(thread);
        thread.start();
        return result;
    }

    /**
     * Returns the thread started last.
     *
     * @return the thread
     * @throws java.util.NoSuchElementException if none was started
     */
    public Thread last() {
        return threads.getLast();
    }

    /**
     * Interrupts every thread and waits for each to end.
     *
     * @throws InterruptedException if interrupted while waiting
     * @throws org.opentest4j.AssertionFailedError if a thread is still alive after ten seconds
     */
    public void stopAll() throws InterruptedException {
        threads.forEach(Thread::interrupt);
        for (Thread thread : threads) {
            thread.join(PATIENCE);
            assertFalse(thread.isAlive(), () -> thread + " did not stop");
        }
    }
}
