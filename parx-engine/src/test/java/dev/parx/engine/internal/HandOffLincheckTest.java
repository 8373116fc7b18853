package dev.parx.engine.internal;

import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import kotlin.Unit;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Options;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link HandOff}, the engine's default queue between submitters and workers, by Lincheck's model
 * checking (it sees every access: fields and the array of ends) and stress mode: against a FIFO,
 * no item is lost or taken twice, with consumers racing (one producer) and with producers racing
 * (one consumer that drains); and no wake-up of a parked consumer is lost. A {@code poll} that
 * races with two producers may miss an item whose producer has swapped the tail but not linked
 * it yet (documented in {@link HandOff}), so racing producers are checked through
 * {@link HandOff#drainTo}, which waits such items out.
 */
@Tag("proofs")
class HandOffLincheckTest {

    /** One producer, racing consumers. */
    @Param(name = "item", gen = IntGen.class, conf = "1:9")
    public static class Consumers {
        final HandOff queue = new HandOff();

        @Operation(nonParallelGroup = "producer")
        public void offer(@Param(name = "item") int item) {
            queue.offer(item);
        }

        @Operation
        public Object poll() {
            return queue.poll();
        }

        @Operation
        public boolean isEmpty() {
            return queue.isEmpty();
        }
    }

    /** Racing producers, one consumer that drains. */
    @Param(name = "item", gen = IntGen.class, conf = "1:9")
    public static class Producers {
        final HandOff queue = new HandOff();

        @Operation
        public void offer(@Param(name = "item") int item) {
            queue.offer(item);
        }

        @Operation(nonParallelGroup = "consumer")
        public String drain() {
            List<Object> items = new ArrayList<>();
            queue.drainTo(items);
            return items.toString();
        }

        /** Waits for an item: only in the custom scenarios, where enough items come. */
        public Object take() throws InterruptedException {
            return queue.take(Long.MAX_VALUE);
        }
    }

    /** The sequential specification: a FIFO. */
    public static final class Spec {
        private final ArrayDeque<Object> items = new ArrayDeque<>();

        public void offer(int item) {
            items.add(item);
        }

        public Object poll() {
            return items.poll();
        }

        public boolean isEmpty() {
            return items.isEmpty();
        }

        public String drain() {
            List<Object> all = new ArrayList<>(items);
            items.clear();
            return all.toString();
        }

        public Object take() {
            return items.poll();
        }
    }

    private static <O extends Options<O, ?>> O shape(O options) {
        return options.threads(3).actorsPerThread(3).actorsBefore(1).actorsAfter(1).sequentialSpecification(Spec.class);
    }

    @Test
    @Timeout(600)
    void racingConsumersTakeEachItemOnceInFifoOrder() {
        shape(new ModelCheckingOptions().iterations(20).invocationsPerIteration(500)).check(Consumers.class);
        shape(new StressOptions().iterations(20).invocationsPerIteration(2_000)).check(Consumers.class);
    }

    @Test
    @Timeout(600)
    void racingProducersLoseNothing() {
        shape(new ModelCheckingOptions().iterations(20).invocationsPerIteration(500)).check(Producers.class);
        shape(new StressOptions().iterations(20).invocationsPerIteration(2_000)).check(Producers.class);
    }

    @Test
    @Timeout(600)
    void aParkedConsumerIsAlwaysWoken() throws NoSuchMethodException {
        Method take = Producers.class.getMethod("take");
        Method offer = Producers.class.getMethod("offer", int.class);
        new ModelCheckingOptions()
                .iterations(0)
                .invocationsPerIteration(5_000)
                .addCustomScenario(scenario -> {
                    scenario.parallel(threads -> {
                        threads.thread(t -> add(t, take));
                        threads.thread(t -> add(t, take));
                        threads.thread(t -> {
                            add(t, offer, 1);
                            return add(t, offer, 2);
                        });
                        return Unit.INSTANCE;
                    });
                    return Unit.INSTANCE;
                })
                .sequentialSpecification(Spec.class)
                .check(Producers.class);
    }

    private static Unit add(List<Actor> thread, Method method, Object... arguments) {
        thread.add(new Actor(method, List.of(arguments)));
        return Unit.INSTANCE;
    }
}
