/**
 * Runs parx {@link dev.parx.Task}s on the members of a Hazelcast cluster:
 * {@link dev.parx.hazelcast.HazelcastPool}, and {@link dev.parx.hazelcast.ParxMember} to start a
 * member on a dedicated machine. Hazelcast is the automatic module {@code com.hazelcast.core}.
 */
@SuppressWarnings("requires-transitive-automatic")
module dev.parx.hazelcast {
    requires transitive dev.parx.engine;
    requires transitive com.hazelcast.core;
    requires dev.parx.json;
    requires org.slf4j;

    exports dev.parx.hazelcast;
    // Not exported: opened so that Hazelcast can instantiate the task it deserializes on a member.
    opens dev.parx.hazelcast.internal;
}
