package dev.parx.ipc.internal;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/** The frame types and fixed values of the wire protocol ({@code docs/ipc-protocol.md}). */
public final class Frames {

    /** The protocol version that both sides must speak; the child says it in its hello. */
    public static final int VERSION = 1;
    /** The default limit of one frame's raw bytes. */
    public static final int DEFAULT_MAX_FRAME = 16 * 1024 * 1024;
    /** How many bytes of a bad frame an error quotes. */
    static final int QUOTED = 120;
    /** The environment variable through which the parent hands the child the nonce of its hello. */
    public static final String NONCE_VARIABLE = "PARX_IPC_NONCE";

    /** Child to parent: the first frame, with the version, the nonce, the pid and the capabilities. */
    public static final String HELLO = "hello";
    /** Parent to child: run a task. */
    public static final String RUN = "run";
    /** Child to parent: a task returned. */
    public static final String RESULT = "result";
    /** Child to parent: a task threw. */
    public static final String ERROR = "error";
    /** Parent to child: stop a task. */
    public static final String CANCEL = "cancel";
    /** Child to parent: a task's progress. */
    public static final String PROGRESS = "progress";
    /** Both ways: a message to or from a task. */
    public static final String MESSAGE = "message";
    /** Child to parent: a line the child wrote to its stdout (which frames no longer use). */
    public static final String LOG = "log";
    /** Parent to child: are you there. */
    public static final String PING = "ping";
    /** Child to parent: the answer to a ping. */
    public static final String PONG = "pong";
    /** Parent to child: finish and exit. */
    public static final String SHUTDOWN = "shutdown";
    /** Child to parent: the last frame before the child exits. */
    public static final String BYE = "bye";

    /** What a child may send. */
    public static final Set<String> FROM_CHILD = Set.of(HELLO, RESULT, ERROR, PROGRESS, MESSAGE, LOG, PONG, BYE);
    /** What a parent may send. */
    public static final Set<String> FROM_PARENT = Set.of(RUN, CANCEL, MESSAGE, PING, SHUTDOWN);

    private Frames() {
    }

    /**
     * Quotes the start of a frame for an error message: at most {@value #QUOTED} bytes, decoded
     * leniently, control characters escaped.
     *
     * @param frame the frame's bytes
     * @param length how many of them are the frame
     * @return the quote, in double quotes, with "..." if it was cut
     */
    public static String quote(byte[] frame, int length) {
        int shown = Math.min(length, QUOTED);
        String text = new String(frame, 0, shown, StandardCharsets.UTF_8);
        StringBuilder quoted = new StringBuilder(shown + 8).append('"');
        text.codePoints().forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                quoted.append(String.format("\\u%04x", c));
            } else {
                quoted.appendCodePoint(c);
            }
        });
        quoted.append('"');
        if (length > shown) {
            quoted.append("... (").append(length).append(" bytes)");
        }
        return quoted.toString();
    }
}
