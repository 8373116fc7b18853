/**
 * The JSON value codec that every pool running {@link dev.parx.Task}s in another JVM shares, so
 * that a value behaves the same in a child JVM and on a cluster member: see
 * {@link dev.parx.json.TaskCodec}. Built on Jackson 3, with default typing always off.
 */
module dev.parx.json {
    requires transitive dev.parx.engine;
    requires transitive tools.jackson.databind;

    exports dev.parx.json;
}
