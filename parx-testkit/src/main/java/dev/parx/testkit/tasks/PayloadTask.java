package dev.parx.testkit.tasks;

import dev.parx.Task;
import dev.parx.TaskContext;

/** Returns its input bytes in reverse order, to move large payloads both ways. */
public final class PayloadTask implements Task<byte[], byte[]> {

    /** Creates the task. */
    public PayloadTask() {
    }

    @Override
    public byte[] run(byte[] input, TaskContext context) {
        byte[] output = new byte[input.length];
        for (int i = 0; i < input.length; i++) {
            output[i] = input[input.length - 1 - i];
        }
        return output;
    }
}
