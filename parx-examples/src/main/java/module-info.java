/** The runnable parx demo. */
module dev.parx.examples {
    requires dev.parx.threads;

    exports dev.parx.examples;
}
