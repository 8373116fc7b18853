package dev.parx.threads;

import dev.parx.ParxException;
import java.io.Serial;
import java.nio.file.Path;

/**
 * A {@link SharedBuffer}'s file could not be created, joined or mapped, or was refused as unsafe: a
 * symbolic link, not a regular file, another user's file, or one that other users may read or write.
 * The message says which file and why. Nothing was mapped, and a file that was being created is
 * deleted again.
 */
public class SharedFileException extends ParxException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The file, as a string: a path is not serializable. */
    private final String file;

    /**
     * Creates the exception.
     *
     * @param message what was attempted on which file, and why it failed
     * @param file the file
     * @param cause the underlying failure, or null
     */
    public SharedFileException(String message, Path file, Throwable cause) {
        super(message, cause);
        this.file = file.toString();
    }

    /**
     * Returns the file.
     *
     * @return the path
     */
    public Path file() {
        return Path.of(file);
    }
}
