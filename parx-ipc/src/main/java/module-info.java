/**
 * Child JVMs for parx: a pool of child JVMs runs Tasks in a pool of JVMs that speak JSON
 * over stdio (the protocol is {@code docs/ipc-protocol.md}).
 */
module dev.parx.ipc {
    requires transitive dev.parx.engine;
    requires dev.parx.process;
    requires transitive dev.parx.json;
    requires dev.parx.threads;
    requires transitive tools.jackson.databind;
    requires org.slf4j;

    exports dev.parx.ipc;
}
