package dev.parx.ipc.tasks;

/**
 * A value record.
 *
 * @param x x
 * @param y y
 */
public record Point(int x, int y) {
}
