/**
 * Operating-system commands for parx: {@link dev.parx.process.Command} (exec, spawn, pipelines),
 * {@link dev.parx.process.CommandPool}, {@link dev.parx.process.CommandTask} and
 * {@link dev.parx.process.ProcessChannel}.
 *
 * <p>Every command runs in a process group of its own, so that a timeout, a cancel or
 * {@code kill()} ends the whole tree, and is registered with a small guardian process (a JVM
 * started from this runtime's {@code bin/java}) that ends what is left when this JVM exits, however
 * it exits. No program on {@code PATH} is needed for either.
 *
 * <p>On Linux with glibc 2.34 or later, commands start with {@code posix_spawn}, called through the
 * FFM API, if this module may call native code: run the JVM with
 * {@code --enable-native-access=dev.parx.process} (or {@code ALL-UNNAMED} when parx is on the class
 * path). Otherwise they start through {@link java.lang.ProcessBuilder} and {@code setsid}, with the
 * same behaviour, more slowly, and without any warning; {@code -Dparx.process.spawn=jdk} chooses
 * that path.
 */
module dev.parx.process {
    requires transitive dev.parx.engine;
    requires org.slf4j;

    exports dev.parx.process;
}
