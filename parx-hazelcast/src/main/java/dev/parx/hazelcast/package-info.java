/**
 * Runs parx {@link dev.parx.Task}s on a Hazelcast cluster: {@link dev.parx.hazelcast.HazelcastPool}
 * submits them through the user's member or client, {@link dev.parx.hazelcast.ParxMember} starts a
 * member that runs them.
 */
package dev.parx.hazelcast;
