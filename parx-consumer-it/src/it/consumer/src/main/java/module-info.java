/**
 * An application that runs its own tasks on parx's pools. The pools instantiate the task classes
 * and parx's JSON codec reads and writes the records, so the package is exported.
 */
module com.example.consumer {
    requires dev.parx.threads;
    requires dev.parx.process;
    requires dev.parx.ipc;
    requires dev.parx.hazelcast;

    exports com.example.consumer;
}
