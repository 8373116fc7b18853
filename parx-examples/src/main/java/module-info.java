/** The runnable parx demo. */
module dev.parx.examples {
    requires transitive dev.parx.api;
    requires dev.parx.threads;

    exports dev.parx.examples;
}
