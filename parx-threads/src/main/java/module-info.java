/**
 * parx on threads of this JVM: {@link dev.parx.threads.OffHeapChannel} rings and
 * {@link dev.parx.threads.SharedBuffer}s in memory outside the Java heap, built on the Foreign
 * Function and Memory API (no {@code sun.misc.Unsafe}).
 */
module dev.parx.threads {
    requires transitive dev.parx.api;
    requires org.slf4j;

    exports dev.parx.threads;
}
