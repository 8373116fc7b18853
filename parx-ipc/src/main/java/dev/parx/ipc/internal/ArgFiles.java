package dev.parx.ipc.internal;

import dev.parx.engine.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the {@code java} launcher's argument files ({@code java @file}), so that a command line
 * of any length (a classpath of hundreds of jars) fits the system's limit.
 *
 * <p>Every argument is written in double quotes, one a line, with the launcher's escapes inside
 * quotes: {@code \\}, {@code \"}, {@code \n}, {@code \r}, {@code \t} and {@code \f}. Spaces,
 * quotes, {@code #} and backslashes then come through unchanged, and so does an empty argument.
 * The file is UTF-8. The launcher hands the bytes on as they are and the JVM decodes them with
 * {@code sun.jnu.encoding}, so an argument that is not ASCII (a classpath entry {@code /opt/caf\u00e9})
 * reaches the child intact only when the child runs with a UTF-8 locale ({@code LANG=C.UTF-8});
 * this holds for a plain command line as much as for an argument file.
 *
 * <p>Files go to this user's private directory ({@link PrivateFiles#userDirectory()}), created
 * owner-only and atomically, named after this process so that the files of a process that died are
 * deleted by the next {@link #write}. Delete a file with {@link #delete} once the child has said
 * hello or ended, not as soon as it was spawned: its launcher reads the file after {@code exec},
 * which may come later. Stateless; any thread.
 */
public final class ArgFiles {

    private static final String PREFIX = "java-args";

    private ArgFiles() {
    }

    /**
     * Writes {@code args} to a new private argument file.
     *
     * @param args the arguments, such as {@code List.of("-cp", classpath, "dev.parx.ipc.ChildMain")}
     * @return the file; pass {@code "@" + file} to {@code java}
     * @throws IllegalArgumentException if an argument holds a NUL character, which no command line
     *     can carry
     * @throws UncheckedIOException if the file cannot be written; the message names it
     */
    public static Path write(List<String> args) {
        try {
            return write(args, PrivateFiles.userDirectory());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the private directory for java argument files: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Deletes an argument file, if it is still there.
     *
     * @param file a file from {@link #write}
     * @throws UncheckedIOException if it exists and cannot be deleted
     */
    public static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the java argument file " + file + ": " + e.getMessage(), e);
        }
    }

    static Path write(List<String> args, Path directory) {
        String text = render(args);
        Path file = directory.resolve(PrivateFiles.uniqueName(PREFIX, ".txt"));
        try {
            PrivateFiles.deleteOrphans(directory, PREFIX);
            try (FileChannel channel = PrivateFiles.createFile(file)) {
                ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
            }
            return file;
        } catch (IOException e) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new UncheckedIOException("cannot write the java argument file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Renders arguments as an argument file's text.
     *
     * @param args the arguments
     * @return the text, one quoted argument a line
     */
    static String render(List<String> args) {
        StringBuilder text = new StringBuilder();
        for (String arg : args) {
            if (arg.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("a java argument holds a NUL character, which no command line can"
                        + " carry: " + arg.replace('\0', '?'));
            }
            text.append('"');
            for (int i = 0; i < arg.length(); i++) {
                char c = arg.charAt(i);
                switch (c) {
                    case '\\' -> text.append("\\\\");
                    case '"' -> text.append("\\\"");
                    case '\n' -> text.append("\\n");
                    case '\r' -> text.append("\\r");
                    case '\t' -> text.append("\\t");
                    case '\f' -> text.append("\\f");
                    default -> text.append(c);
                }
            }
            text.append("\"\n");
        }
        return text.toString();
    }
}
