package dev.parx.testkit;

import dev.parx.TaskHandle;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A handle with listeners that record every message and progress report, for assertions.
 *
 * @param <O> the output type
 */
public final class Listened<O> {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final TaskHandle<O> handle;
    private final List<Object> messages = new CopyOnWriteArrayList<>();
    private final List<String> progress = new CopyOnWriteArrayList<>();

    private Listened(TaskHandle<O> handle) {
        this.handle = handle;
        handle.onMessage(messages::add);
        handle.onProgress((fraction, message) -> progress.add(fraction + " " + message));
    }

    /**
     * Starts recording a handle's messages and progress.
     *
     * @param handle the handle
     * @param <O> the output type
     * @return the recorder
     */
    public static <O> Listened<O> of(TaskHandle<O> handle) {
        return new Listened<>(handle);
    }

    /**
     * Returns the handle.
     *
     * @return the handle
     */
    public TaskHandle<O> handle() {
        return handle;
    }

    /**
     * Returns the messages received so far, in order.
     *
     * @return a snapshot
     */
    public List<Object> messages() {
        return List.copyOf(messages);
    }

    /**
     * Returns the progress reports received so far as {@code "<fraction> <message>"}, in order.
     *
     * @return a snapshot
     */
    public List<String> progress() {
        return List.copyOf(progress);
    }

    /**
     * Waits (at most 30 seconds) until a message equal to {@code expected} arrived.
     *
     * @param expected the message
     * @return this recorder
     */
    public Listened<O> awaitMessage(Object expected) {
        Eventually.until("message '" + expected + "' from task " + handle.id(), PATIENCE,
                () -> messages.contains(expected));
        return this;
    }
}
