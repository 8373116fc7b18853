/**
 * The engine's implementation: task handles, the hand-off queue, statistics. Not exported; free to
 * change in any release.
 */
package dev.parx.engine.internal;
