/** The runnable parx demo: the six exercises of parallel work and the common mistakes. */
module dev.parx.examples {
    requires transitive dev.parx.api;
    requires dev.parx.threads;
    requires dev.parx.process;
    requires dev.parx.ipc;

    exports dev.parx.examples;
}
