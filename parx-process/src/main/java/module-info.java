/**
 * Operating-system commands for parx: {@link dev.parx.process.Command} (exec, spawn, pipelines),
 * {@link dev.parx.process.CommandPool}, {@link dev.parx.process.CommandTask} and
 * {@link dev.parx.process.ProcessChannel}.
 *
 * <p>Every command runs in a process group of its own, so that a timeout, a cancel or
 * {@code kill()} ends the whole tree, and is registered with a small guardian process that ends
 * what is left when this JVM exits, however it exits.
 */
module dev.parx.process {
    requires transitive dev.parx.api;
    requires org.slf4j;

    exports dev.parx.process;
}
