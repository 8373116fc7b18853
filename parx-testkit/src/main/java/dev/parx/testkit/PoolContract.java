package dev.parx.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parx.FullQueuePolicy;
import dev.parx.Pool;
import dev.parx.PoolBuilder;
import dev.parx.PoolStats;
import dev.parx.RejectedTaskException;
import dev.parx.TaskFailedException;
import dev.parx.TaskHandle;
import dev.parx.TaskOptions;
import dev.parx.TaskTimeoutException;
import dev.parx.WorkerCrashedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The behaviour every {@link Pool} must have. An implementation subclasses this and implements
 * {@link #builder()}; the contract configures every pool it needs through the settings that all
 * pool builders share ({@code name}, {@code workers}, {@code minWorkers}, {@code maxWorkers},
 * {@code maxQueue}, {@code onFullQueue}, {@code idleTimeout}, {@code taskTimeout}), which is what
 * makes moving a task between pools a one-word change. A pool whose tasks are not Java classes
 * also overrides {@link #tasks()}. Each test builds its own pools and this class shuts them down
 * afterwards, checking that no thread named {@code parx-<pool>-...} outlives them.
 *
 * <p>The tests never wait for time to pass: they wait for events (with a bound) and use tasks
 * that block until the test releases or cancels them. Every test has a timeout.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
public abstract class PoolContract {

    private static final AtomicInteger POOLS = new AtomicInteger();
    /** Long enough that a blocked task never ends by itself during a test. */
    private static final long FOREVER_MS = 120_000;

    private final List<Pool> pools = new ArrayList<>();
    private final List<String> poolNames = new ArrayList<>();

    /** For subclasses. */
    protected PoolContract() {
    }

    /**
     * Returns a new builder of the pool under test, with only the settings of its own kind made
     * (none of the shared ones, which the contract sets).
     *
     * @return a new builder
     */
    protected abstract PoolBuilder<?, ?> builder();

    /**
     * Returns the tasks the contract runs; the standard Java tasks unless overridden.
     *
     * @return the fixture
     */
    protected ContractTasks tasks() {
        return ContractTasks.standard();
    }

    /**
     * Checks, after a pool terminated, that it left nothing behind beyond threads (which the
     * contract checks itself): processes, child JVMs, files. Does nothing unless overridden.
     *
     * @param poolName the pool's name
     */
    protected void assertNothingLeftBehind(String poolName) {
    }

    /**
     * Builds a pool from {@link #builder()} with a fresh name and the given shared settings, and
     * registers it for shutdown.
     *
     * @param settings sets the shared settings the test needs (at least the worker counts)
     * @return the pool
     */
    protected final Pool pool(Consumer<PoolBuilder<?, ?>> settings) {
        String name = "contract" + POOLS.incrementAndGet();
        PoolBuilder<?, ?> builder = builder();
        builder.name(name);
        settings.accept(builder);
        Pool pool = builder.build();
        pools.add(pool);
        poolNames.add(name);
        return pool;
    }

    private Pool pool(int workers, Consumer<PoolBuilder<?, ?>> settings) {
        return pool(builder -> settings.accept(builder.workers(workers)));
    }

    private Pool pool(int workers) {
        return pool(workers, builder -> { });
    }

    @AfterEach
    final void shutDownPools() throws InterruptedException {
        for (Pool pool : pools) {
            pool.shutdownNow();
        }
        for (Pool pool : pools) {
            assertTrue(pool.awaitTermination(Duration.ofSeconds(60)), "pool did not terminate: " + pool);
        }
        for (String name : poolNames) {
            assertNoThreadsOf(name);
            assertNothingLeftBehind(name);
        }
    }

    private static void assertNoThreadsOf(String poolName) {
        String prefix = "parx-" + poolName + "-";
        List<String> left = Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith(prefix))
                .toList();
        assertEquals(List.of(), left, "threads of pool " + poolName + " outlived it");
    }

    /** Shuts down without waiting (unlike close()) and expects every task to have stopped soon. */
    private static void assertStopsPromptly(Pool pool) throws InterruptedException {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(Duration.ofSeconds(30)), "the pool's tasks did not stop: " + pool);
    }

    private TaskHandle<String> blocker(Pool pool) {
        TaskHandle<String> handle = pool.submit(tasks().sleepUntilCancelled(), FOREVER_MS);
        Listened.of(handle).awaitMessage("started");
        return handle;
    }

    private static String outcome(TaskHandle<?> handle) {
        try {
            return "returned " + handle.join();
        } catch (RuntimeException e) {
            return "threw " + e;
        }
    }

    // ---- results ----

    @Test
    void resultsMatchInputsForManyTasks() {
        Pool pool = pool(2);
        int count = tasks().bulkTaskCount();
        List<TaskHandle<String>> handles = IntStream.range(0, count)
                .mapToObj(i -> pool.submit(tasks().echo(), "input-" + i))
                .toList();
        for (int i = 0; i < count; i++) {
            assertEquals("input-" + i, handles.get(i).join());
        }
        PoolStats stats = pool.stats();
        assertEquals(count, stats.submitted());
        assertEquals(count, stats.completed());
    }

    @Test
    void outputIsComputedFromTheInput() throws Exception {
        Pool pool = pool(2);
        TaskHandle<Long> handle = pool.submit(tasks().sum(), new long[] {1, 2, 3, 40_000_000_000L});
        assertEquals(40_000_000_006L, handle.get(30, TimeUnit.SECONDS));
        assertEquals(40_000_000_006L, handle.toCompletableFuture().join());
    }

    @Test
    void tenMebibytePayloadRoundTrips() {
        Pool pool = pool(1);
        byte[] payload = new byte[10 * 1024 * 1024];
        new Random(42).nextBytes(payload);
        byte[] reversed = new byte[payload.length];
        for (int i = 0; i < payload.length; i++) {
            reversed[i] = payload[payload.length - 1 - i];
        }
        assertArrayEquals(reversed, pool.submit(tasks().payload(), payload).join());
    }

    // ---- failures ----

    @Test
    void taskExceptionSurfacesWithTypeMessageAndStack() {
        Pool pool = pool(1);
        TaskHandle<String> handle = pool.submit(tasks().fail(), "boom 42");
        TaskFailedException failure = assertThrows(TaskFailedException.class, handle::join);
        assertEquals(tasks().failureClassName(), failure.exceptionClassName());
        assertTrue(failure.exceptionMessage().contains("boom 42"), failure.exceptionMessage());
        assertTrue(failure.getMessage().contains("boom 42"), failure.getMessage());
        assertEquals(handle.id(), failure.taskId());
        if (tasks().failureStackNamesTask()) {
            String taskClass = tasks().fail().getName();
            assertTrue(Arrays.stream(failure.exceptionStackTrace()).anyMatch(e -> e.getClassName().equals(taskClass)),
                    "stack names " + taskClass + ": " + Arrays.toString(failure.exceptionStackTrace()));
        }
        ExecutionException wrapped = assertThrows(ExecutionException.class, handle::get);
        assertInstanceOf(TaskFailedException.class, wrapped.getCause());
        assertEquals("boom 42 again", assertThrows(TaskFailedException.class,
                pool.submit(tasks().fail(), "boom 42 again")::join).exceptionMessage().strip());
        assertEquals("still works", pool.submit(tasks().echo(), "still works").join());
        assertEquals(2, pool.stats().failed());
    }

    // ---- cancellation and timeouts ----

    @Test
    void cancelledQueuedTaskNeverRuns() {
        Pool pool = pool(1);
        TaskHandle<String> running = blocker(pool);
        Listened<Integer> queued = Listened.of(pool.submit(tasks().emitMessages(), 3));
        assertTrue(queued.handle().cancel(true));
        assertTrue(queued.handle().isCancelled());
        assertThrows(CancellationException.class, queued.handle()::join);
        assertTrue(running.cancel(true), () -> "the blocker ended by itself: " + outcome(running));
        assertEquals("after", pool.submit(tasks().echo(), "after").join());
        assertEquals(List.of(), queued.messages());
        PoolStats stats = pool.stats();
        assertEquals(2, stats.waitTime().count(), "only the blocker and the last task started: " + stats);
        assertEquals(2, stats.cancelled());
        assertEquals(1, stats.completed());
    }

    @Test
    void cancelledRunningTaskStopsAndItsHandleCompletesAsCancelled() throws InterruptedException {
        Pool pool = pool(1);
        TaskHandle<String> running = blocker(pool);
        assertTrue(running.cancel(true));
        assertTrue(running.isDone());
        assertTrue(running.isCancelled());
        assertThrows(CancellationException.class, running::join);
        assertFalse(running.cancel(true), "a second cancel has nothing to cancel");
        assertEquals("next", pool.submit(tasks().echo(), "next").join());
        // The task waits up to two minutes unless it sees the cancellation: termination proves it stopped.
        assertStopsPromptly(pool);
    }

    @Test
    void cancelStopsATaskBlockedWaitingForAMessage() throws InterruptedException {
        Pool pool = pool(1);
        Listened<Integer> waiting = Listened.of(pool.submit(tasks().echoMessages(), 1)).awaitMessage("ready");
        assertTrue(waiting.handle().cancel(true));
        // The task waits a minute for a message unless the cancel wakes it.
        assertStopsPromptly(pool);
    }

    @Test
    void cancellingTheCompletableFutureCancelsTheTask() throws InterruptedException {
        Pool pool = pool(1);
        TaskHandle<String> running = blocker(pool);
        CompletableFuture<String> future = running.toCompletableFuture();
        assertTrue(future.cancel(true));
        Eventually.until("the handle to be cancelled", Duration.ofSeconds(30), running::isCancelled);
        assertStopsPromptly(pool);
    }

    @Test
    void taskTimeoutCompletesWithTaskTimeoutExceptionAndFreesTheWorker() throws InterruptedException {
        Pool pool = pool(1);
        TaskHandle<String> slow = pool.submit(tasks().sleepUntilCancelled(), FOREVER_MS,
                TaskOptions.timeout(Duration.ofMillis(200)));
        TaskTimeoutException timeout = assertThrows(TaskTimeoutException.class, slow::join);
        assertEquals(slow.id(), timeout.taskId());
        assertEquals("free", pool.submit(tasks().echo(), "free").join());
        PoolStats stats = pool.stats();
        assertEquals(1, stats.timedOut());
        assertEquals(1, stats.failed());
        assertStopsPromptly(pool);
    }

    @Test
    void poolDefaultTimeoutAppliesAndATaskThatIgnoresItStillFreesItsWorker() throws Exception {
        Pool pool = pool(1, builder -> builder.taskTimeout(Duration.ofMillis(200)));
        TaskHandle<String> stubborn = pool.submit(tasks().ignoreCancellation(), 12_000L);
        assertThrows(TaskTimeoutException.class, stubborn::join);
        // Had the worker stayed with the stubborn task, this would wait 12 s. Its own timeout is
        // longer than the pool's: a replaced worker's first task may take more than 200 ms.
        assertEquals("free", pool.submit(tasks().echo(), "free", TaskOptions.timeout(Duration.ofSeconds(8)))
                .get(8, TimeUnit.SECONDS));
    }

    // ---- queue bound and shutdown ----

    @Test
    void fullQueueRejects() {
        Pool pool = pool(1, builder -> builder.maxQueue(1).onFullQueue(FullQueuePolicy.REJECT));
        TaskHandle<String> running = blocker(pool);
        TaskHandle<String> queued = pool.submit(tasks().echo(), "queued");
        RejectedTaskException rejected = assertThrows(RejectedTaskException.class,
                () -> pool.submit(tasks().echo(), "one too many"));
        assertEquals(RejectedTaskException.Reason.QUEUE_FULL, rejected.reason());
        assertEquals(1, pool.stats().rejected());
        assertTrue(queued.cancel(true));
        TaskHandle<String> replacement = pool.submit(tasks().echo(), "replacement");   // the slot is free again
        running.cancel(true);
        assertEquals("replacement", replacement.join());
        assertEquals(3, pool.stats().submitted());
    }

    @Test
    void fullQueueBlocksWhenConfiguredAndResumesWhenThereIsRoom() {
        Pool pool = pool(1, builder -> builder.maxQueue(1).onFullQueue(FullQueuePolicy.BLOCK));
        TaskHandle<String> running = blocker(pool);
        TaskHandle<String> queued = pool.submit(tasks().echo(), "queued");
        CompletableFuture<TaskHandle<String>> third =
                CompletableFuture.supplyAsync(() -> pool.submit(tasks().echo(), "third"));
        Eventually.holdsFor("submit blocks while the queue is full", Duration.ofMillis(300), () -> !third.isDone());
        running.cancel(true);
        assertEquals("third", third.join().join());
        assertEquals("queued", queued.join());
        assertEquals(0, pool.stats().rejected());
    }

    @Test
    void closeFinishesQueuedWorkThenRejectsNewSubmissions() {
        Pool pool = pool(1);
        Listened<Integer> gate = Listened.of(pool.submit(tasks().echoMessages(), 1)).awaitMessage("ready");
        List<TaskHandle<String>> queued = IntStream.range(0, 5)
                .mapToObj(i -> pool.submit(tasks().echo(), "queued-" + i))
                .toList();
        CompletableFuture<Void> closing = CompletableFuture.runAsync(pool::close);
        Eventually.until("the pool to shut down", Duration.ofSeconds(10), pool::isShutdown);
        RejectedTaskException rejected = assertThrows(RejectedTaskException.class,
                () -> pool.submit(tasks().echo(), "late"));
        assertEquals(RejectedTaskException.Reason.SHUT_DOWN, rejected.reason());
        assertFalse(closing.isDone(), "close() returned while a task was still running");
        gate.handle().send("go");
        closing.join();
        assertTrue(pool.isTerminated());
        assertEquals(1, gate.handle().join());
        for (int i = 0; i < 5; i++) {
            assertEquals("queued-" + i, queued.get(i).join());
        }
    }

    @Test
    void shutdownNowCancelsQueuedAndRunningTasks() throws InterruptedException {
        Pool pool = pool(1);
        TaskHandle<String> running = blocker(pool);
        List<TaskHandle<String>> queued = IntStream.range(0, 3)
                .mapToObj(i -> pool.submit(tasks().echo(), "never-" + i))
                .toList();
        pool.shutdownNow();
        assertTrue(pool.isShutdown());
        assertTrue(running.isCancelled());
        queued.forEach(handle -> assertTrue(handle.isCancelled()));
        assertTrue(pool.awaitTermination(Duration.ofSeconds(60)));
        assertTrue(pool.isTerminated());
        assertEquals(4, pool.stats().cancelled());
        assertThrows(RejectedTaskException.class, () -> pool.submit(tasks().echo(), "late"));
    }

    @Test
    void awaitTerminationWaitsForRunningTasks() throws InterruptedException {
        Pool pool = pool(1);
        Listened<Integer> gate = Listened.of(pool.submit(tasks().echoMessages(), 1)).awaitMessage("ready");
        CompletableFuture<Void> closing = CompletableFuture.runAsync(pool::close);
        Eventually.until("the pool to shut down", Duration.ofSeconds(10), pool::isShutdown);
        assertFalse(pool.awaitTermination(Duration.ofMillis(100)));
        assertFalse(pool.isTerminated());
        gate.handle().send("go");
        assertTrue(pool.awaitTermination(Duration.ofSeconds(30)));
        assertTrue(pool.isTerminated());
        closing.join();
    }

    // ---- concurrency and stats ----

    @Test
    void concurrencyNeverExceedsTheWorkers() {
        int workers = 3;
        Pool pool = pool(workers);
        List<Listened<Integer>> gates = IntStream.range(0, workers * 3)
                .mapToObj(i -> Listened.of(pool.submit(tasks().echoMessages(), 1)))
                .toList();
        int released = 0;
        while (released < gates.size()) {
            int expected = Math.min(workers, gates.size() - released);
            // Exactly `expected` gates run (said "ready") and not yet released; no more start.
            Eventually.until(expected + " tasks running", Duration.ofSeconds(30), () -> running(gates) == expected);
            Eventually.holdsFor("no more than " + expected + " tasks running", Duration.ofMillis(150),
                    () -> running(gates) == expected);
            PoolStats stats = pool.stats();
            assertTrue(stats.active() <= workers && stats.busyWorkers() <= workers, stats.toString());
            Listened<Integer> next = gates.stream()
                    .filter(g -> g.messages().contains("ready") && !g.handle().isDone())
                    .findFirst().orElseThrow();
            next.handle().send("go");
            assertEquals(1, next.handle().join());
            released++;
        }
    }

    private static long running(List<Listened<Integer>> gates) {
        return gates.stream().filter(g -> g.messages().contains("ready") && !g.handle().isDone()).count();
    }

    @Test
    void statsAddUp() {
        Pool pool = pool(1);
        pool.submit(tasks().echo(), "ok").join();
        assertThrows(TaskFailedException.class, pool.submit(tasks().fail(), "bad")::join);
        TaskHandle<String> running = blocker(pool);
        TaskHandle<String> cancelled = pool.submit(tasks().echo(), "cancel me");
        TaskHandle<String> pending = pool.submit(tasks().echo(), "pending");
        cancelled.cancel(true);

        PoolStats during = pool.stats();
        assertEquals(during.submitted(),
                during.completed() + during.failed() + during.cancelled() + during.pending(), during.toString());
        assertEquals(5, during.submitted());
        assertEquals(1, during.completed());
        assertEquals(1, during.failed());
        assertEquals(1, during.cancelled());
        assertEquals(1, during.queued());
        assertEquals(1, during.active());

        running.cancel(true);
        pending.join();
        PoolStats after = pool.stats();
        assertEquals(after.submitted(), after.completed() + after.failed() + after.cancelled(), after.toString());
        assertEquals(0, after.pending());
        assertEquals(2, after.completed());
        assertEquals(2, after.cancelled());
        assertEquals(4, after.waitTime().count(), "all but the cancelled task started");
    }

    // ---- workers ----

    @Test
    void crashedWorkerFailsOnlyItsTaskAndIsReplaced() {
        Assumptions.assumeTrue(tasks().crashWorker().isPresent(), "this pool's workers cannot be crashed by a task");
        Pool pool = pool(2);
        String name = poolNames.getLast();
        TaskHandle<String> bystander = blocker(pool);
        TaskHandle<String> crash = pool.submit(tasks().crashWorker().orElseThrow(), "crash");
        WorkerCrashedException crashed = assertThrows(WorkerCrashedException.class, crash::join);
        assertEquals(crash.id(), crashed.taskId());
        assertTrue(crashed.workerId().startsWith("parx-" + name + "-"), crashed.workerId());
        assertFalse(bystander.isDone(), () -> "the other worker's task ended: " + outcome(bystander));
        List<TaskHandle<String>> after = IntStream.range(0, 20)
                .mapToObj(i -> pool.submit(tasks().echo(), "after-" + i))
                .toList();
        for (int i = 0; i < after.size(); i++) {
            assertEquals("after-" + i, after.get(i).join());
        }
        Eventually.until("the pool to be back at two workers", Duration.ofSeconds(60),
                () -> pool.stats().workers() == 2);
        assertTrue(bystander.cancel(true));
        PoolStats stats = pool.stats();
        assertEquals(1, stats.failed(), stats.toString());
        assertEquals(20, stats.completed(), stats.toString());
    }

    @Test
    void idleWorkersBeyondTheMinimumRetireAndTheMinimumStays() {
        Pool pool = pool(builder -> builder.minWorkers(1).maxWorkers(3).idleTimeout(Duration.ofMillis(200)));
        List<Listened<Integer>> gates = IntStream.range(0, 3)
                .mapToObj(i -> Listened.of(pool.submit(tasks().echoMessages(), 1)))
                .toList();
        gates.forEach(gate -> gate.awaitMessage("ready"));
        assertEquals(3, pool.stats().workers(), "three tasks run at once on three workers");
        gates.forEach(gate -> gate.handle().send("go"));
        gates.forEach(gate -> assertEquals(1, gate.handle().join()));
        Eventually.until("idle workers beyond the minimum to retire", Duration.ofSeconds(60),
                () -> pool.stats().workers() == 1);
        Eventually.holdsFor("the minimum worker to stay", Duration.ofMillis(600), () -> pool.stats().workers() == 1);
        assertEquals("still served", pool.submit(tasks().echo(), "still served").join());
    }

    // ---- progress and messages ----

    @Test
    void progressReachesListenersInOrder() {
        Pool pool = pool(2);
        Listened<Integer> task = Listened.of(pool.submit(tasks().reportProgress(), 200));
        assertEquals(200, task.handle().join());
        List<String> expected = IntStream.rangeClosed(1, 200)
                .mapToObj(i -> ((double) i / 200) + " step " + i)
                .toList();
        assertEquals(expected, task.progress());
    }

    @Test
    void messagesReachListenersInOrder() {
        Pool pool = pool(2);
        Listened<Integer> task = Listened.of(pool.submit(tasks().emitMessages(), 1000));
        assertEquals(1000, task.handle().join());
        List<Object> expected = IntStream.range(0, 1000).mapToObj(i -> (Object) ("message-" + i)).toList();
        assertEquals(expected, task.messages());
    }

    @Test
    void messagesSentToARunningTaskReachIt() {
        Pool pool = pool(1);
        Listened<Integer> task = Listened.of(pool.submit(tasks().echoMessages(), 4)).awaitMessage("ready");
        for (String message : List.of("a", "b b", "c\"quoted\"", "d")) {
            task.handle().send(message);
        }
        assertEquals(4, task.handle().join());
        assertEquals(List.of("ready", "echo:a", "echo:b b", "echo:c\"quoted\"", "echo:d"), task.messages());
    }

    // ---- clean-up ----

    @Test
    void noThreadIsLeftBehindAfterClose() {
        Pool pool = pool(2);
        String name = poolNames.getLast();
        List<TaskHandle<String>> handles = IntStream.range(0, 50)
                .mapToObj(i -> pool.submit(tasks().echo(), "x" + i))
                .toList();
        assertThrows(TaskTimeoutException.class, pool.submit(tasks().sleepUntilCancelled(), FOREVER_MS,
                TaskOptions.timeout(Duration.ofMillis(100)))::join);
        handles.forEach(TaskHandle::join);
        pool.close();
        assertTrue(pool.isTerminated());
        assertNoThreadsOf(name);
        assertNothingLeftBehind(name);
    }
}
