package dev.parx.engine;

import java.io.Serial;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * A file or directory that {@link PrivateFiles} refuses to use: a symbolic link, not the expected
 * kind of file, owned by another user, or reachable by others. The reason says which.
 */
public final class UnsafeFileException extends FileSystemException {

    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param file the refused file
     * @param reason what is wrong with it, and what to do
     */
    public UnsafeFileException(Path file, String reason) {
        super(file.toString(), null, reason);
    }
}
