package dev.parx.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;

/** What the file-safety tests plant and check. */
final class TestFiles {

    /** What a victim file holds: 14 bytes. */
    public static final String VICTIM_TEXT = "do not touch\n!";

    private TestFiles() {
    }

    /**
     * Writes a victim file, {@code rw-r--r--} as a umask of 022 makes it.
     *
     * @param file where
     * @return the file
     * @throws IOException if it cannot be written
     */
    public static Path victim(Path file) throws IOException {
        Files.writeString(file, VICTIM_TEXT);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        return file;
    }

    /**
     * Asserts that a victim's size and contents are what {@link #victim} wrote.
     *
     * @param victim the file
     * @throws IOException if it cannot be read
     */
    public static void assertVictimUntouched(Path victim) throws IOException {
        assertEquals(VICTIM_TEXT.length(), Files.size(victim));
        assertEquals(VICTIM_TEXT, Files.readString(victim, StandardCharsets.UTF_8));
    }

    /**
     * Makes {@code path} the file of another user, {@code nobody}; skips the test where this process
     * may not (it is not root) or there is no such user.
     *
     * @param path the file or directory
     * @throws IOException if its owner cannot be read back
     */
    public static void giveToNobody(Path path) throws IOException {
        try {
            UserPrincipal nobody = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
            Files.setOwner(path, nobody);
        } catch (IOException | UnsupportedOperationException e) {
            assumeTrue(false, "cannot give a file to another user here: " + e);
        }
        assumeTrue(uid(path) != PrivateFiles.currentUid(), "nobody is this process's user");
    }

    /**
     * Returns the permissions of a file, not following links, as {@code rw-r--r--}.
     *
     * @param path the file
     * @return the permissions
     * @throws IOException if they cannot be read
     */
    public static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }

    /**
     * Returns the owner's uid of a file, not following links.
     *
     * @param path the file
     * @return the uid
     * @throws IOException if it cannot be read
     */
    public static long uid(Path path) throws IOException {
        return Integer.toUnsignedLong((Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS));
    }
}
