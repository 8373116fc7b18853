package dev.parx.examples;

/**
 * A half-open range of numbers, {@code [from, to)}.
 *
 * @param from the first number
 * @param to one past the last number
 */
public record Range(long from, long to) {
}
