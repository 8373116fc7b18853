package dev.parx.ipc.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * How to start and talk to the child JVMs of one pool: built by the pool's builder, immutable.
 *
 * @param command the java executable, the JVM options and the class path, up to the main class
 * @param environment variables to set in the child
 * @param wire the wire, with the pool's mapper
 * @param mapperFactory the class name of the mapper's factory, for the child; or null
 * @param tasksPerWorker how many tasks one child runs at once
 * @param maxTasksPerWorker after how many tasks a child is replaced; 0 for never
 * @param maxFrame the most bytes of one frame
 * @param startTimeout how long a child may take to say hello
 * @param cancelGrace how long a cancelled task may take to end before its child is killed
 * @param output takes the worker id and each line the child's code printed to its stdout
 * @param aot the AOT cache of the children; null for none
 */
public record ChildSpec(List<String> command, Map<String, String> environment, Wire wire, String mapperFactory,
        int tasksPerWorker, int maxTasksPerWorker, int maxFrame, Duration startTimeout, Duration cancelGrace,
        BiConsumer<String, String> output, AotCache aot) {

    /** Copies the collections. */
    public ChildSpec {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
    }
}
