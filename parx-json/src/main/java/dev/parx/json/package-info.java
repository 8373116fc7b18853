/**
 * The shared JSON value codec: {@link dev.parx.json.TaskCodec} resolves a task class named on the
 * wire, encodes and decodes inputs, outputs and messages as the task's own types, and carries a
 * failure across as a {@link dev.parx.TaskFailedException} whose remote causes are
 * {@link dev.parx.json.RemoteCause}s.
 */
package dev.parx.json;
