/**
 * Runs parx {@link dev.parx.Task}s on threads of this JVM: {@link dev.parx.threads.ThreadPool}.
 */
module dev.parx.threads {
    requires transitive dev.parx.api;
    requires org.slf4j;

    exports dev.parx.threads;
}
