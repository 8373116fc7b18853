/**
 * Contract suites that every parx implementation passes, and the standard tasks they run. Users
 * can run the suites against their own pools: subclass {@link dev.parx.testkit.PoolContract}.
 */
module dev.parx.testkit {
    requires transitive dev.parx.api;
    requires transitive org.junit.jupiter.api;

    exports dev.parx.testkit;
    exports dev.parx.testkit.tasks;
}
