package dev.parx.engine.internal;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import kotlin.Unit;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.lincheck.LincheckAssertionError;
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
 * (one consumer that drains); consumers that wait get every item. A {@code poll} that
 * races with two producers may miss an item whose producer has swapped the tail but not linked
 * it yet (documented in {@link HandOff}), so racing producers are checked through
 * {@link HandOff#drainTo}, which waits such items out.
 */
@Tag("proofs")
class HandOffLincheckTest {

    /** One producer, racing consumers. */
    @Param(name = "item", gen = IntGen.class, conf = "1:9")
    public static class Consumers {
        final HandOff queue;

        public Consumers() {
            this(new HandOff());
        }

        Consumers(HandOff queue) {
            this.queue = queue;
        }

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
        final HandOff queue;

        public Producers() {
            this(new HandOff());
        }

        Producers(HandOff queue) {
            this.queue = queue;
        }

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

    /** The consumers' check on a queue whose consumers take an item even after losing the race for it. */
    @Param(name = "item", gen = IntGen.class, conf = "1:9")
    public static class ConsumersIgnoringALostRace extends Consumers {
        public ConsumersIgnoringALostRace() {
            super(new HandOffIgnoringALostRace());
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
    void catchesConsumersThatTakeAnItemAfterLosingTheRaceForIt() {
        assertThrows(LincheckAssertionError.class,
                () -> shape(new ModelCheckingOptions().iterations(20).invocationsPerIteration(500))
                        .check(ConsumersIgnoringALostRace.class));
    }

    /**
     * Waiting consumers get every item. Not a proof against a lost wake-up: the model checker lets
     * {@code park} return spuriously (every park outside the JDK's classes returns at once), and a
     * consumer looks again after each park, so a copy that skips its last look before parking
     * passes too; {@link HandOffWakeUpTest} checks the wake-ups with real parks.
     */
    @Test
    @Timeout(600)
    void waitingConsumersGetEveryItem() throws NoSuchMethodException {
        consumersAgainstProducer(Producers.class, 2).check(Producers.class);
    }

    /** {@code consumers} threads take one item each; one thread offers that many. */
    private static ModelCheckingOptions consumersAgainstProducer(Class<?> type, int consumers) throws NoSuchMethodException {
        Method take = type.getMethod("take");
        Method offer = type.getMethod("offer", int.class);
        return new ModelCheckingOptions()
                .iterations(0)
                .invocationsPerIteration(5_000)
                .addCustomScenario(scenario -> {
                    scenario.parallel(threads -> {
                        for (int i = 0; i < consumers; i++) {
                            threads.thread(t -> add(t, take));
                        }
                        threads.thread(t -> {
                            for (int i = 1; i <= consumers; i++) {
                                add(t, offer, i);
                            }
                            return Unit.INSTANCE;
                        });
                        return Unit.INSTANCE;
                    });
                    return Unit.INSTANCE;
                })
                .sequentialSpecification(Spec.class);
    }

    private static Unit add(List<Actor> thread, Method method, Object... arguments) {
        thread.add(new Actor(method, List.of(arguments)));
        return Unit.INSTANCE;
    }
}
