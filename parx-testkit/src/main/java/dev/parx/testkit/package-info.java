/**
 * Contract suites in the style of JCTools' {@code QueueSanityTest}: one suite, subclassed by every
 * implementation, so that "the same task behaves the same on threads, processes and child JVMs" is
 * a tested fact.
 *
 * <pre>{@code
 * class MyPoolContractTest extends PoolContract {
 *     @Override
 *     protected PoolBuilder<?, ?> builder() {
 *         return MyPool.builder();     // the contract sets the shared settings itself
 *     }
 * }
 * }</pre>
 */
package dev.parx.testkit;
