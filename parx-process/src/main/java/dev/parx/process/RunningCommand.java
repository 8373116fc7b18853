package dev.parx.process;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.Writer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A command (or pipeline) started by {@link Command#spawn()}: its stdin, its output as it is
 * produced, its exit, and a way to end its whole process tree.
 *
 * <p>All methods are safe to call from any thread. Output goes where the command's
 * {@link Output} settings say, as it is produced; parx reads both streams all the time (unless
 * {@link Output#raw()} was chosen), so the command never blocks on a full pipe.
 *
 * <pre>{@code
 * RunningCommand tail = Command.of("tail", "-F", "/var/log/app.log")
 *         .stdout(Output.lines(line -> events.add(line)))
 *         .spawn();
 * ...
 * tail.kill();                       // SIGTERM to the tree, SIGKILL after the grace
 * tail.onExit().exceptionally(e -> null).join();
 * }</pre>
 */
public interface RunningCommand {

    /**
     * Returns the process id (of the last stage, for a pipeline).
     *
     * @return the pid
     */
    long pid();

    /**
     * Returns the program and its arguments (of every stage, joined by {@code |}, for a pipeline).
     *
     * @return the command
     */
    List<String> command();

    /**
     * Returns the command's stdin, for a command spawned without stdin of its own. Closing it
     * sends end-of-file. Write from one thread at a time.
     *
     * @return the stream
     * @throws IllegalStateException if the command's stdin was set (text, bytes, file or stream)
     */
    OutputStream stdin();

    /**
     * Returns a writer over {@link #stdin()} that encodes with the command's charset. Flush it to
     * send what was written; close it to send end-of-file.
     *
     * @return the writer, the same one on every call
     * @throws IllegalStateException if the command's stdin was set
     */
    Writer stdinWriter();

    /**
     * Returns the raw stdout, for a command spawned with {@code stdout(Output.raw())}. Read it to
     * the end.
     *
     * @return the stream
     * @throws IllegalStateException if stdout goes elsewhere
     */
    InputStream stdout();

    /**
     * Returns the raw stderr, for a command spawned with {@code stderr(Output.raw())}. Read it to
     * the end.
     *
     * @return the stream
     * @throws IllegalStateException if stderr goes elsewhere
     */
    InputStream stderr();

    /**
     * Returns a future that completes once the command exited and its output was read (see
     * {@link Command} for output that a background process holds open): with the
     * {@link CommandResult}; or exceptionally with {@link ProcessFailedException},
     * {@link OutputLimitExceededException}, {@link CommandTimeoutException}, or a
     * {@link java.util.concurrent.CancellationException} after {@link #kill()}. Cancelling the
     * future kills the command.
     *
     * @return a new future on every call, dependent on the run: completing it changes no other
     *     caller's future and not what {@link #waitFor()} returns
     */
    CompletableFuture<CommandResult> onExit();

    /**
     * Returns whether any process of the command is still running.
     *
     * @return true while alive
     */
    boolean isAlive();

    /**
     * Ends the command's whole process tree: SIGTERM to its process group and descendants, then
     * SIGKILL after the command's {@link Command#killGrace kill grace}. Returns at once;
     * {@link #onExit()} completes when it is over. Idempotent; does nothing if the command already
     * exited.
     */
    void kill();

    /**
     * Waits for {@link #onExit()} and returns its result, throwing its exception as it is.
     *
     * @return the result
     * @throws InterruptedException if interrupted while waiting; the command keeps running
     */
    CommandResult waitFor() throws InterruptedException;
}
