/**
 * Contract suites in the style of JCTools' {@code QueueSanityTest}: one suite, subclassed by every
 * implementation, so that "the same task behaves the same on threads, processes and child JVMs" is
 * a tested fact.
 *
 * <pre>{@code
 * class MyPoolContractTest extends PoolContract {
 *     @Override
 *     protected Pool createPool(PoolSpec spec) {
 *         return MyPool.builder().name(spec.name()).workers(spec.workers())
 *                 .maxQueue(spec.maxQueue()).onFullQueue(spec.fullQueuePolicy()).build();
 *     }
 * }
 * }</pre>
 */
package dev.parx.testkit;
