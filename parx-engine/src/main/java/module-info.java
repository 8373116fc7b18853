/**
 * The engine behind every parx pool, published as an SPI for whoever writes one: see
 * {@link dev.parx.engine.PoolEngine}. A pool is its builder plus a
 * {@link dev.parx.engine.WorkerFactory}; the engine owns the queue and its policy, the workers'
 * life cycle, timeouts, cancellation, handles, ordered progress and messages, and statistics.
 * A pool that keeps files keeps them private through {@link dev.parx.engine.PrivateFiles}.
 *
 * <p>Every engine emits JDK Flight Recorder events, in the category "parx":
 * {@code dev.parx.TaskQueued}, {@code TaskStarted}, {@code TaskFinished}, {@code TaskFailed},
 * {@code TaskCancelled}, {@code WorkerStarted}, {@code WorkerRecycled} and {@code WorkerCrashed},
 * with the pool, the task's id and class, the worker's id, and wait and run times. Record them with
 * {@code -XX:StartFlightRecording} or a {@code jdk.jfr.consumer.RecordingStream}.
 */
module dev.parx.engine {
    requires transitive dev.parx.api;
    requires org.slf4j;
    requires jdk.jfr;
    requires jdk.security.auth;   // the process's uid, to check who owns a private file

    exports dev.parx.engine;
}
