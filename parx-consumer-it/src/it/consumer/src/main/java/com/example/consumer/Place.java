package com.example.consumer;

/**
 * Where a task ran.
 *
 * @param pid the process
 * @param module the name of the task's module; {@code null} on the class path
 * @param worker the pool's id of the worker
 */
public record Place(long pid, String module, String worker) {
}
