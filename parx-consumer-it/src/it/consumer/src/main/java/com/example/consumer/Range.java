package com.example.consumer;

/**
 * The numbers from {@code from} (inclusive) to {@code to} (exclusive).
 *
 * @param from the first number
 * @param to one past the last number
 */
public record Range(long from, long to) {
}
