/**
 * Runs parx {@link dev.parx.Task}s on threads of this JVM: {@link dev.parx.threads.ThreadPool}; and
 * shares data with them outside the Java heap: {@link dev.parx.threads.OffHeapChannel} rings and
 * {@link dev.parx.threads.SharedBuffer}s, built on the Foreign Function and Memory API (no
 * {@code sun.misc.Unsafe}).
 */
module dev.parx.threads {
    requires transitive dev.parx.engine;
    requires org.slf4j;

    exports dev.parx.threads;
}
