/** The runnable parx demo: the six exercises of parallel work and the common mistakes. */
module dev.parx.examples {
    requires transitive dev.parx.api;
    requires transitive dev.parx.threads;
    requires transitive dev.parx.process;
    requires dev.parx.ipc;

    exports dev.parx.examples;
}
