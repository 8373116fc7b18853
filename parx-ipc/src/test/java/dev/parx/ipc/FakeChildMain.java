package dev.parx.ipc;

import dev.parx.ipc.internal.Frame;
import dev.parx.ipc.internal.Frames;
import dev.parx.ipc.internal.LineReader;
import dev.parx.ipc.internal.Wire;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import tools.jackson.databind.node.ObjectNode;

/**
 * A child that says a proper hello, then answers each run frame with the bytes its input names
 * (base64, with {@code $ID} replaced by the run's id), followed by a proper result "survived"; an
 * input that starts with {@code TRUNCATE:} is written without its newline, and the child exits.
 */
public final class FakeChildMain {

    private FakeChildMain() {
    }

    /**
     * Runs the fake child.
     *
     * @param args ignored
     * @throws Exception if stdio fails
     */
    public static void main(String[] args) throws Exception {
        Wire wire = new Wire(null);
        OutputStream out = new FileOutputStream(FileDescriptor.out);
        ObjectNode hello = wire.frame(Frames.HELLO);
        hello.put("version", Frames.VERSION);
        hello.put("nonce", System.getenv(Frames.NONCE_VARIABLE));
        hello.put("pid", ProcessHandle.current().pid());
        out.write(wire.encode(hello));
        out.flush();
        LineReader lines = new LineReader(new FileInputStream(FileDescriptor.in), 64 << 20);
        byte[] line;
        while ((line = lines.next()) != null) {
            Frame frame = wire.decode(line, Frames.FROM_PARENT);
            if (!frame.type().equals(Frames.RUN)) {
                continue;
            }
            String id = frame.text("id");
            String input = frame.value("input").asString();
            boolean truncate = input.startsWith("TRUNCATE:");
            byte[] bytes = Base64.getDecoder().decode(truncate ? input.substring(9) : input);
            bytes = new String(bytes, StandardCharsets.ISO_8859_1).replace("$ID", id).getBytes(StandardCharsets.ISO_8859_1);
            out.write(bytes);
            if (truncate) {
                out.flush();
                System.exit(0);
            }
            out.write('\n');
            ObjectNode result = wire.frame(Frames.RESULT);
            result.put("id", id);
            result.put("value", "survived");
            out.write(wire.encode(result));
            out.flush();
        }
    }
}
