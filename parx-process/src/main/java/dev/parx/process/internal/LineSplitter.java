package dev.parx.process.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;

/**
 * Decodes bytes into lines as they arrive, with a bound on the length of one line so that a
 * command writing gigabytes without a newline cannot exhaust the heap. Not thread-safe: one pump
 * thread feeds it. Keeps the last few lines for error messages.
 */
final class LineSplitter {

    /** Thrown when a line grows past the limit. */
    static final class LineTooLong extends Exception {
        private static final long serialVersionUID = 1L;

        LineTooLong() {
            super(null, null, false, false);
        }
    }

    private static final int TAIL = 10;

    private final CharsetDecoder decoder;
    private final Consumer<String> listener;
    private final long maxLine;
    private final CharBuffer chars = CharBuffer.allocate(8192);
    private final StringBuilder line = new StringBuilder();
    private final ArrayDeque<String> tail = new ArrayDeque<>(TAIL);
    private boolean pendingCr;

    LineSplitter(Charset charset, Consumer<String> listener, long maxLine) {
        this.decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        this.listener = listener;
        this.maxLine = maxLine;
    }

    void accept(ByteBuffer bytes) throws LineTooLong {
        while (true) {
            boolean overflow = decoder.decode(bytes, chars, false).isOverflow();
            drain();
            if (!overflow) {
                return;
            }
        }
    }

    void finish() throws LineTooLong {
        ByteBuffer empty = ByteBuffer.allocate(0);
        decoder.decode(empty, chars, true);
        decoder.flush(chars);
        drain();
        if (pendingCr) {
            line.append('\r');
        }
        if (!line.isEmpty()) {
            emit();
        }
    }

    List<String> tail() {
        return List.copyOf(tail);
    }

    private void drain() throws LineTooLong {
        chars.flip();
        while (chars.hasRemaining()) {
            char c = chars.get();
            if (pendingCr) {
                pendingCr = false;
                if (c != '\n') {
                    line.append('\r');
                }
            }
            if (c == '\n') {
                emit();
            } else if (c == '\r') {
                pendingCr = true;
            } else {
                line.append(c);
                if (line.length() > maxLine) {
                    throw new LineTooLong();
                }
            }
        }
        chars.clear();
    }

    private void emit() {
        String text = line.toString();
        line.setLength(0);
        if (tail.size() == TAIL) {
            tail.removeFirst();
        }
        tail.addLast(text);
        listener.accept(text);
    }
}
