package dev.parx.process.internal;

import java.io.InputStream;
import java.nio.file.Path;

/** Where a command's stdin comes from. */
public sealed interface Input {

    /** Stdin is closed at once: the command reads end-of-file. */
    record Empty() implements Input {
    }

    /**
     * Stdin is these bytes, then end-of-file.
     *
     * @param bytes the bytes, never modified
     */
    record Bytes(byte[] bytes) implements Input {
    }

    /**
     * Stdin is this text, encoded with the command's charset when the command starts.
     *
     * @param text the text
     */
    record Text(String text) implements Input {
    }

    /**
     * Stdin is read by the command straight from a file.
     *
     * @param file the file
     */
    record FromFile(Path file) implements Input {
    }

    /**
     * Stdin is copied from a stream, which is closed at its end.
     *
     * @param stream the stream
     */
    record FromStream(InputStream stream) implements Input {
    }

    /** The caller writes stdin through the running command. */
    record Pipe() implements Input {
    }
}
