package dev.parx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PoolBuilderTest {

    /** A builder whose build() only exposes the settings. */
    static final class Probe extends PoolBuilder<Probe, Pool> {
        PoolSettings result() {
            return settings();
        }

        @Override
        public Pool build() {
            throw new UnsupportedOperationException("settings only");
        }
    }

    @Test
    void defaultsAreAFixedPoolOfOneWorkerPerProcessorWithAnUnboundedRejectingQueue() {
        PoolSettings settings = new Probe().result();
        int processors = Runtime.getRuntime().availableProcessors();
        assertEquals(processors, settings.minWorkers());
        assertEquals(processors, settings.maxWorkers());
        assertEquals(Integer.MAX_VALUE, settings.maxQueue());
        assertEquals(FullQueuePolicy.REJECT, settings.fullQueuePolicy());
        assertEquals(Duration.ofSeconds(60), settings.idleTimeout());
        assertTrue(settings.name().matches("pool\\d+"), settings.name());
        assertEquals(Optional.empty(), settings.timeoutFor(TaskOptions.defaults()));
    }

    @Test
    void aTaskTimeoutOverridesThePoolDefault() {
        PoolSettings settings = new Probe().taskTimeout(Duration.ofSeconds(5)).result();
        assertEquals(Optional.of(Duration.ofSeconds(5)), settings.timeoutFor(TaskOptions.defaults()));
        assertEquals(Optional.of(Duration.ofMillis(10)),
                settings.timeoutFor(TaskOptions.timeout(Duration.ofMillis(10))));
    }

    @Test
    void maxWorkersAloneAlsoSetsTheMinimumUnlessGiven() {
        assertEquals(3, new Probe().maxWorkers(3).result().minWorkers());
        assertEquals(0, new Probe().minWorkers(0).maxWorkers(3).result().minWorkers());
        assertEquals(5, new Probe().minWorkers(5).result().maxWorkers());
    }

    @Test
    void eachSettingIsSetOnceAndValidatedWithAMessageThatNamesIt() {
        assertEquals("name was already set",
                assertThrows(IllegalStateException.class, () -> new Probe().name("a").name("b")).getMessage());
        assertTrue(assertThrows(IllegalStateException.class, () -> new Probe().workers(2).minWorkers(1))
                .getMessage().contains("by workers(int)"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Probe().maxWorkers(0))
                .getMessage().contains("maxWorkers"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Probe().taskTimeout(Duration.ofSeconds(-1)))
                .getMessage().contains("taskTimeout"));
        assertThrows(IllegalArgumentException.class, () -> new Probe().name("x".repeat(65)));
        assertThrows(NullPointerException.class, () -> new Probe().onFullQueue(null));
        assertThrows(IllegalStateException.class,
                () -> TaskOptions.builder().timeout(Duration.ofSeconds(1)).timeout(Duration.ofSeconds(2)));
        assertThrows(IllegalArgumentException.class, () -> TaskOptions.timeout(Duration.ZERO));
    }
}
