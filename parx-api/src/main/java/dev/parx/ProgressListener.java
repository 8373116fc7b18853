package dev.parx;

/**
 * Receives the progress that a task reports with {@link TaskContext#progress(double, String)}.
 *
 * <p>For one handle, calls are made one at a time and in the order the task reported, on a thread
 * of the pool (or on the thread that registers the listener, for progress reported before it was
 * registered). A listener should return quickly; it must not wait for the handle it listens to.
 */
@FunctionalInterface
public interface ProgressListener {

    /**
     * Called for each progress report.
     *
     * @param fraction how much is done, from 0.0 to 1.0
     * @param message the task's description of the step
     */
    void onProgress(double fraction, String message);
}
