/**
 * Operating-system commands: {@link dev.parx.process.Command} runs one ({@code exec},
 * {@code execAsync}, {@code spawn}), {@link dev.parx.process.Pipeline} connects several,
 * {@link dev.parx.process.CommandTask} and {@link dev.parx.process.CommandPool} run them as parx
 * tasks, and {@link dev.parx.process.ProcessChannel} talks to a running one.
 */
package dev.parx.process;
