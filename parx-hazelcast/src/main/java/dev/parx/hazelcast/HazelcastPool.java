package dev.parx.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import dev.parx.Pool;
import dev.parx.PoolBuilder;
import dev.parx.Task;
import dev.parx.engine.EnginePool;
import dev.parx.engine.PoolEngine;
import dev.parx.engine.Worker;
import dev.parx.engine.WorkerContext;
import dev.parx.engine.WorkerFactory;
import dev.parx.hazelcast.internal.MemberTask;
import dev.parx.hazelcast.internal.PoolLink;
import dev.parx.json.TaskCodec;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.json.JsonMapper;

/**
 * A {@link Pool} that runs tasks on the members of a Hazelcast cluster, through the user's
 * {@link HazelcastInstance}: a member of the cluster or a client of it.
 *
 * <pre>{@code
 * HazelcastInstance hazelcast = HazelcastClient.newHazelcastClient(clientConfig);
 * try (HazelcastPool pool = HazelcastPool.builder().instance(hazelcast).name("primes").workers(64).build()) {
 *     TaskHandle<Long> handle = pool.submit(CountPrimes.class, new Range(0, 1_000_000),
 *             TaskOptions.builder().retryOnCrash(2).build());
 *     handle.onProgress((fraction, step) -> log.info("{}% {}", (int) (fraction * 100), step));
 *     long primes = handle.join();
 * }
 * }</pre>
 *
 * <p><b>Workers</b> are slots: {@code workers} bounds how many of the pool's tasks are in flight
 * on the whole cluster at once, and the pool's queue holds the rest, with its bound and policy, so
 * that a burst of submissions waits here rather than in the members' executor queues. Each task in
 * flight goes to the member that runs the fewest of this pool's tasks, through the
 * {@link com.hazelcast.core.IExecutorService} named by {@link Builder#executor(String)}.
 *
 * <p><b>What travels</b> is the task's class name and its input as JSON, never a Java-serialized
 * user object. The member loads only a class that implements {@link Task} and passes the engine's
 * checks, before initializing it; decodes the input to the task's own input type; and sends back
 * the output as JSON, which this side decodes to the task's output type, or the failure, which
 * becomes a {@link dev.parx.TaskFailedException} with the remote class name, message, stack and
 * causes. Values are encoded by parx-json's {@link TaskCodec}, as they are for child JVMs, so they
 * behave the same in both. Every member therefore needs the application's classes, parx-hazelcast
 * and parx-json on its class path ({@link ParxMember} starts such a member). A member decodes with
 * the {@link TaskCodec} its user context holds under {@link #MEMBER_CODEC_KEY}, or the standard
 * one; give both sides equivalent mappers. A task class that implements
 * {@link com.hazelcast.core.HazelcastInstanceAware} is given the member's instance before it runs.
 *
 * <p><b>Progress, messages and {@code send}.</b> Members publish a task's progress and messages to
 * one Hazelcast reliable topic per pool, to which the pool subscribes once. A reliable topic is a
 * ringbuffer on one partition, with a backup: it keeps one total order, survives the loss of a
 * member, and its subscriber reads it by sequence, so that, unlike a plain topic, it loses no
 * event while a client connects to a member that joined late or while a member dies; and it costs
 * one listener per pool rather than a distributed object per task. Each event carries its number
 * within its execution, and the member's result carries how many it published: this side puts
 * events back in order and completes the handle only after all of them reached its listeners (or,
 * should the subscriber have fallen a whole ringbuffer behind, 10,000 events by default, after 10
 * seconds, with a warning). Messages sent to a task go through a queue of its own, made only once
 * the task first calls {@code receive} and destroyed when it ends: a queue lets the task wait for
 * the next message with a timeout, keeps the submitter's order, and holds messages sent before
 * the task waits.
 * Listeners run on the thread that reads the topic: keep them short.
 *
 * <p><b>Cancellation and timeouts</b> cancel the execution on its member, which interrupts the
 * task's thread there (and {@code isCancelled()} turns true once the task's thread was
 * interrupted), and complete the handle at once; the slot is free again when Hazelcast confirmed
 * the cancel. A task that ignores its interrupt keeps a thread of the member's executor until it
 * returns: Hazelcast cannot force it.
 *
 * <p><b>Members that leave.</b> When the member running a task leaves the cluster, dies or can no
 * longer be reached, the task fails with a {@link dev.parx.WorkerCrashedException} naming the
 * member, and its slot is replaced; a task submitted with {@code retryOnCrash} runs again, on
 * another member. If this side's own instance shuts down, every task fails that way.
 *
 * <p><b>Java 25.</b> Hazelcast 5.7 warns about {@code sun.misc.Unsafe} and modules unless every
 * JVM that runs it (members and clients) starts with {@code --sun-misc-unsafe-memory-access=allow
 * --add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED --add-opens
 * java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-opens
 * java.management/sun.management=ALL-UNNAMED --add-opens
 * jdk.management/com.sun.management.internal=ALL-UNNAMED}.
 *
 * <p>Thread-safe. Actions of a submitter before {@code submit} happen-before the task is sent;
 * the member's result, and every event of the task that reached this side, happen-before its
 * handle completes.
 */
public final class HazelcastPool extends EnginePool {

    /**
     * The key under which a member's user context ({@code Config.setUserContext}) may hold the
     * {@link TaskCodec} that tasks run there decode and encode with.
     */
    public static final String MEMBER_CODEC_KEY = MemberTask.CODEC_KEY;

    private final PoolLink link;

    private HazelcastPool(PoolEngine engine, PoolLink link) {
        super(engine);
        this.link = link;
    }

    private static HazelcastPool create(Builder builder) {
        HazelcastInstance instance = Objects.requireNonNull(builder.instance,
                "a HazelcastPool needs the HazelcastInstance to submit through: set it with instance(...)");
        TaskCodec codec = builder.mapper == null ? TaskCodec.standard() : TaskCodec.of(builder.mapper);
        var settings = builder.poolSettings();
        PoolLink link = new PoolLink(instance, settings.name(), builder.executor, codec);
        return new HazelcastPool(new PoolEngine(settings, new WorkerFactory() {
            @Override
            public Worker start(WorkerContext context) {
                return link.newWorker(context);
            }

            @Override
            public boolean virtualThreads() {
                return true;        // a slot's engine thread only waits
            }
        }), link);
    }

    /**
     * Returns a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns how many of this pool's tasks each member ran to their end (an output or a failure),
     * keyed by the member's {@code host:port}; tasks lost with their member, or cancelled, are not
     * counted.
     *
     * @return a snapshot, sorted by member
     */
    public Map<String, Long> tasksPerMember() {
        return link.tasksPerMember();
    }

    /**
     * Leaves the cluster once the pool terminated, however it was shut down: destroys the pool's
     * topic and removes its listeners. Does not shut down the user's {@link HazelcastInstance}.
     */
    @Override
    protected void terminated() {
        link.release();
    }

    /**
     * Builds a {@link HazelcastPool}; the shared settings are those of {@link PoolBuilder}, and
     * {@link #instance} is required. Not thread-safe; each setting may be set once.
     */
    public static final class Builder extends PoolBuilder<Builder, HazelcastPool> {

        private HazelcastInstance instance;
        private String executor;
        private JsonMapper mapper;
        private boolean executorSet;

        private Builder() {
            this.executor = "parx";
        }

        /**
         * Sets the member or client that tasks are submitted through. The pool does not own it:
         * closing the pool leaves it running.
         *
         * @param instance the instance
         * @return this builder
         * @throws IllegalStateException if already set
         */
        public Builder instance(HazelcastInstance instance) {
            if (this.instance != null) {
                throw new IllegalStateException("instance was already set");
            }
            this.instance = Objects.requireNonNull(instance, "instance");
            return this;
        }

        /**
         * Sets the name of the {@link com.hazelcast.core.IExecutorService} that runs the tasks on
         * the members, whose configuration there sets the threads per member; {@code "parx"} by
         * default.
         *
         * @param name the executor's name
         * @return this builder
         * @throws IllegalStateException if already set
         * @throws IllegalArgumentException if blank
         */
        public Builder executor(String name) {
            if (executorSet) {
                throw new IllegalStateException("executor was already set");
            }
            if (Objects.requireNonNull(name, "name").isBlank()) {
                throw new IllegalArgumentException("the executor's name must not be blank");
            }
            executorSet = true;
            this.executor = name;
            return this;
        }

        /**
         * Sets the Jackson mapper that this side encodes inputs and messages and decodes outputs
         * with (default typing is turned off whatever it says); the standard one by default.
         * Members use theirs: see {@link HazelcastPool#MEMBER_CODEC_KEY}.
         *
         * @param mapper the mapper
         * @return this builder
         * @throws IllegalStateException if already set
         */
        public Builder mapper(JsonMapper mapper) {
            if (this.mapper != null) {
                throw new IllegalStateException("mapper was already set");
            }
            this.mapper = Objects.requireNonNull(mapper, "mapper");
            return this;
        }

        private dev.parx.PoolSettings poolSettings() {
            return settings();
        }

        /**
         * Builds the pool and subscribes it to its events topic on the cluster.
         *
         * @return the pool
         * @throws NullPointerException if no instance was set
         */
        @Override
        public HazelcastPool build() {
            return create(this);
        }
    }
}
