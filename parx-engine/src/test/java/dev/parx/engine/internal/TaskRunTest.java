package dev.parx.engine.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parx.Task;
import dev.parx.TaskContext;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class TaskRunTest {

    /** A task class for the handles; never run here. */
    static final class Echo implements Task<String, String> {
        @Override
        public String run(String input, TaskContext context) {
            return input;
        }
    }

    /** A pool that counts completions and can hold a completion inside its hook until released. */
    private static final class Owner implements TaskRun.Owner {
        final AtomicInteger completions = new AtomicInteger();
        final CountDownLatch inHook = new CountDownLatch(1);
        volatile CountDownLatch release;

        @Override
        public String taskIdPrefix() {
            return "test";
        }

        @Override
        public void cancelled(TaskRun<?> run, boolean mayInterrupt) {
        }

        @Override
        public void completing(TaskRun<?> run, Throwable failure, long nanos) {
            completions.incrementAndGet();
            CountDownLatch gate = release;
            if (gate != null) {
                inHook.countDown();
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private static TaskRun<String> run(Owner owner, long number) {
        return new TaskRun<>(owner, number, Echo.class, "in", null, 0);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aWaiterThatArrivesWhileTheCompletionIsInThePoolsHookIsReleasedWithTheOutcome() throws Exception {
        Owner owner = new Owner();
        owner.release = new CountDownLatch(1);
        TaskRun<String> run = run(owner, 1);
        Thread completer = Thread.ofPlatform().daemon().start(() -> run.succeed("out", System.nanoTime()));
        owner.inHook.await();

        assertFalse(run.isDone(), "the outcome is not visible while the pool's hook runs");
        AtomicReference<Object> got = new AtomicReference<>();
        Thread waiter = Thread.ofPlatform().daemon().start(() -> {
            try {
                got.set(run.get());
            } catch (Exception e) {
                got.set(e);
            }
        });
        CompletableFuture<String> copy = run.toCompletableFuture();
        await().atMost(Duration.ofSeconds(10)).until(() -> waiter.getState() == Thread.State.WAITING);
        assertFalse(copy.isDone());

        owner.release.countDown();
        waiter.join();
        completer.join();
        assertEquals("out", got.get());
        assertEquals("out", copy.get(10, TimeUnit.SECONDS));
        assertEquals(1, owner.completions.get());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aCancelThatLosesToACompletionInThePoolsHookReturnsOnlyOnceTheHandleIsDone() throws Exception {
        // Lincheck found it: cancel() returned false while isDone() was still false
        Owner owner = new Owner();
        owner.release = new CountDownLatch(1);
        TaskRun<String> run = run(owner, 1);
        Thread completer = Thread.ofPlatform().daemon().start(() -> run.succeed("out", System.nanoTime()));
        owner.inHook.await();

        AtomicReference<String> seen = new AtomicReference<>();
        Thread canceller = Thread.ofPlatform().daemon().start(
                () -> seen.set(run.cancel(true) + ", done " + run.isDone()));
        canceller.join(Duration.ofMillis(200));   // without the fix it has returned by now
        owner.release.countDown();
        canceller.join();
        completer.join();
        assertEquals("false, done true", seen.get());
        assertEquals("out", run.get());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void eachOutcomeIsReportedAsFutureRequires() throws Exception {
        Owner owner = new Owner();

        TaskRun<String> nothing = run(owner, 1);
        assertThrows(TimeoutException.class, () -> nothing.get(1, TimeUnit.MILLISECONDS));
        assertEquals(Future.State.RUNNING, nothing.state());
        nothing.succeed(null, System.nanoTime());
        assertTrue(nothing.isDone());
        assertNull(nothing.get());
        assertNull(nothing.join());
        assertNull(nothing.toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertEquals(Future.State.SUCCESS, nothing.state());

        TaskRun<String> failed = run(owner, 2);
        IllegalStateException thrown = new IllegalStateException("boom");
        failed.fail(thrown);
        assertSame(thrown, assertThrows(ExecutionException.class, failed::get).getCause());
        assertSame(thrown, assertThrows(ExecutionException.class, () -> failed.get(1, TimeUnit.SECONDS)).getCause());
        assertSame(thrown, assertThrows(IllegalStateException.class, failed::join));
        assertFalse(failed.isCancelled());
        assertEquals(Future.State.FAILED, failed.state());
        assertFalse(failed.cancel(true), "a completed handle cannot be cancelled");

        TaskRun<String> cancelled = run(owner, 3);
        CompletableFuture<String> copyBefore = cancelled.toCompletableFuture();
        assertTrue(cancelled.cancel(false));
        assertFalse(cancelled.cancel(false), "only the call that cancelled answers true");
        assertTrue(cancelled.isCancelled());
        assertTrue(cancelled.isDone());
        assertThrows(CancellationException.class, cancelled::get);
        assertThrows(CancellationException.class, cancelled::join);
        assertTrue(copyBefore.isCancelled());
        assertTrue(cancelled.toCompletableFuture().isCancelled());
        assertEquals(Future.State.CANCELLED, cancelled.state());
        cancelled.succeed("late", System.nanoTime());
        assertTrue(cancelled.isCancelled(), "the first completion wins");

        assertEquals(3, owner.completions.get());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aWaiterRacingTheCompletionAlwaysWakes() throws Exception {
        Owner owner = new Owner();
        int handles = 5_000;
        for (int i = 0; i < handles; i++) {
            TaskRun<String> run = run(owner, i);
            String expected = "out-" + i;
            Thread completer = Thread.ofPlatform().daemon().start(() -> run.succeed(expected, System.nanoTime()));
            Object got = i % 2 == 0 ? run.join() : run.toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals(expected, got);
            completer.join();
        }
        assertEquals(handles, owner.completions.get());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aWaiterInterruptedBeforeTheOutcomeLeavesTheHandleUsable() throws Exception {
        Owner owner = new Owner();
        TaskRun<String> run = run(owner, 1);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread waiter = Thread.ofPlatform().daemon().start(() -> {
            try {
                run.join();
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> waiter.getState() == Thread.State.WAITING);
        waiter.interrupt();
        waiter.join();
        assertInstanceOf(InterruptedException.class, thrown.get().getCause(), String.valueOf(thrown.get()));

        run.succeed("out", System.nanoTime());
        assertEquals("out", run.join());
    }
}
