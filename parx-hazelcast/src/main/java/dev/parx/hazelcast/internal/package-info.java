/**
 * Internals of the Hazelcast pool; not exported. Opened (not exported) in the module descriptor
 * only so that Hazelcast can instantiate {@link dev.parx.hazelcast.internal.MemberTask} when a
 * member deserializes it.
 */
package dev.parx.hazelcast.internal;
