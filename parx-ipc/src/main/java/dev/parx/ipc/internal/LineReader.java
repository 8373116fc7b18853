package dev.parx.ipc.internal;

import dev.parx.ipc.ProtocolException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads newline-terminated frames from a stream and enforces their size on the raw bytes, before
 * anything parses them: a line longer than the limit fails once its limit is passed, without the
 * rest of it being kept. Not thread-safe: one reader thread per stream.
 */
public final class LineReader {

    private final InputStream in;
    private final int maxLine;
    private final byte[] chunk = new byte[64 * 1024];
    private int chunkStart;
    private int chunkEnd;
    private byte[] line = new byte[256];
    private int lineLength;

    /**
     * Creates a reader.
     *
     * @param in the stream, read in chunks
     * @param maxLine the most bytes of one frame, without its newline
     */
    public LineReader(InputStream in, int maxLine) {
        if (maxLine < 1) {
            throw new IllegalArgumentException("a frame limit is at least 1 byte, was " + maxLine);
        }
        this.in = in;
        this.maxLine = maxLine;
    }

    /**
     * Returns the next line without its {@code \n}, or null at the end of the stream.
     *
     * @return the line's bytes, or null at the end of the stream
     * @throws ProtocolException if the line passes the limit, or the stream ends inside a line
     * @throws IOException if reading fails
     */
    public byte[] next() throws IOException {
        lineLength = 0;
        while (true) {
            if (chunkStart == chunkEnd) {
                int read = in.read(chunk);
                if (read < 0) {
                    if (lineLength > 0) {
                        throw new ProtocolException("the stream ended inside a frame of " + lineLength
                                + " bytes (a truncated frame): " + Frames.quote(line, lineLength));
                    }
                    return null;
                }
                chunkStart = 0;
                chunkEnd = read;
            }
            int end = chunkStart;
            while (end < chunkEnd && chunk[end] != '\n') {
                end++;
            }
            append(chunkStart, end);
            boolean complete = end < chunkEnd;
            chunkStart = complete ? end + 1 : end;
            if (complete) {
                return Arrays.copyOf(line, lineLength);
            }
        }
    }

    private void append(int from, int to) {
        int count = to - from;
        if ((long) lineLength + count > maxLine) {
            throw new ProtocolException("a frame is longer than the limit of " + maxLine + " bytes: "
                    + Frames.quote(lineLength > 0 ? line : Arrays.copyOfRange(chunk, from, to),
                            lineLength > 0 ? lineLength : count));
        }
        if (lineLength + count > line.length) {
            line = Arrays.copyOf(line, (int) Math.min(maxLine, Math.max((long) line.length * 2, lineLength + count)));
        }
        System.arraycopy(chunk, from, line, lineLength, count);
        lineLength += count;
    }
}
