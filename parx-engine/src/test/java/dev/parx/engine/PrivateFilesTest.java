package dev.parx.engine;

import static dev.parx.engine.TestFiles.VICTIM_TEXT;
import static dev.parx.engine.TestFiles.assertVictimUntouched;
import static dev.parx.engine.TestFiles.giveToNobody;
import static dev.parx.engine.TestFiles.permissions;
import static dev.parx.engine.TestFiles.uid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateFilesTest {

    @TempDir
    Path dir;

    @Test
    void aCreatedFileIsItsOwnersAloneWhateverTheUmask() throws IOException {
        Path file = dir.resolve("new.bin");
        try (FileChannel channel = PrivateFiles.createFile(file)) {
            channel.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        }
        assertEquals("rw-------", permissions(file));
        assertEquals(PrivateFiles.currentUid(), uid(file));
        assertEquals(3, Files.size(file));
    }

    @Test
    void createRefusesAnExistingFileAndLeavesIt() throws IOException {
        Path file = victim("existing.txt");
        FileAlreadyExistsException error = assertThrows(FileAlreadyExistsException.class, () -> PrivateFiles.createFile(file));
        assertTrue(error.getMessage().contains("exists already"), error.getMessage());
        assertVictimUntouched(file);
    }

    @Test
    void createNeverWritesThroughAPlantedLink() throws IOException {
        Path victim = victim("victim.txt");
        Path link = Files.createSymbolicLink(dir.resolve("link.bin"), victim);
        assertThrows(FileAlreadyExistsException.class, () -> PrivateFiles.createFile(link));
        assertVictimUntouched(victim);
        assertEquals("rw-r--r--", permissions(victim), "the victim's mode is unchanged too");
    }

    @Test
    void createNeverCreatesTheTargetOfADanglingLink() throws IOException {
        Path target = dir.resolve("chosen-by-someone-else.bin");
        Path link = Files.createSymbolicLink(dir.resolve("dangling.bin"), target);
        assertThrows(FileAlreadyExistsException.class, () -> PrivateFiles.createFile(link));
        assertFalse(Files.exists(target, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void openAcceptsAFileOfOurOwnThatOnlyWeMayUse() throws IOException {
        Path file = victim("mine.bin");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        try (FileChannel channel = PrivateFiles.openFile(file)) {
            assertEquals(VICTIM_TEXT.length(), channel.size());
        }
    }

    @Test
    void openRefusesALinkAndLeavesItsTargetAlone() throws IOException {
        Path victim = victim("victim.txt");
        Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rw-------"));
        Path link = Files.createSymbolicLink(dir.resolve("link.bin"), victim);
        UnsafeFileException error = assertThrows(UnsafeFileException.class, () -> PrivateFiles.openFile(link));
        assertTrue(error.getMessage().contains("is a symbolic link"), error.getMessage());
        assertVictimUntouched(victim);
    }

    @Test
    void openRefusesAFileThatOthersMayReadOrWrite() throws IOException {
        Path file = victim("shared.bin");
        for (String mode : new String[] {"rw-r--r--", "rw--w----", "rw-----w-", "rw-rw-rw-"}) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
            UnsafeFileException error = assertThrows(UnsafeFileException.class, () -> PrivateFiles.openFile(file), mode);
            assertTrue(error.getMessage().contains("has permissions " + mode), error.getMessage());
            assertTrue(error.getMessage().contains("other users may read or write it"), error.getMessage());
        }
        assertVictimUntouched(file);
    }

    @Test
    void openRefusesAnotherUsersFile() throws IOException {
        Path file = victim("theirs.bin");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        giveToNobody(file);
        UnsafeFileException error = assertThrows(UnsafeFileException.class, () -> PrivateFiles.openFile(file));
        assertTrue(error.getMessage().contains("is owned by uid " + uid(file)), error.getMessage());
        assertTrue(error.getMessage().contains("not by this process's user"), error.getMessage());
    }

    @Test
    void openRefusesWhatIsNotARegularFile() throws IOException {
        Path directory = Files.createDirectory(dir.resolve("a-directory"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        UnsafeFileException error = assertThrows(UnsafeFileException.class, () -> PrivateFiles.openFile(directory));
        assertTrue(error.getMessage().contains("is not a regular file"), error.getMessage());
    }

    @Test
    void aPrivateDirectoryIsCreated0700AndReusedWhileItStaysSo() throws IOException {
        Path created = PrivateFiles.directory(dir, "private");
        assertEquals(dir.resolve("private"), created);
        assertEquals("rwx------", permissions(created));
        assertEquals(PrivateFiles.currentUid(), uid(created));
        Files.writeString(created.resolve("kept"), "x");
        assertEquals(created, PrivateFiles.directory(dir, "private"));
        assertTrue(Files.exists(created.resolve("kept")), "reuse keeps what is inside");
    }

    @Test
    void aPrivateDirectoryWhoseModeWasChangedIsRefused() throws IOException {
        Path created = PrivateFiles.directory(dir, "private");
        for (String mode : new String[] {"rwxr-xr-x", "rwx--x---", "rwx-----x", "rw-------"}) {
            Files.setPosixFilePermissions(created, PosixFilePermissions.fromString(mode));
            UnsafeFileException error = assertThrows(UnsafeFileException.class, () -> PrivateFiles.directory(dir, "private"), mode);
            assertTrue(error.getMessage().contains("has permissions " + mode + ", not exactly rwx------ (0700)"), error.getMessage());
            assertTrue(error.getMessage().contains("chmod 700"), error.getMessage());
        }
        assertEquals("rw-------", permissions(created), "a refused directory is left as it is");
    }

    @Test
    void aPrivateDirectoryThatIsALinkIsRefused() throws IOException {
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.createSymbolicLink(dir.resolve("private"), elsewhere);
        UnsafeFileException error = assertThrows(UnsafeFileException.class, () -> PrivateFiles.directory(dir, "private"));
        assertTrue(error.getMessage().contains("is a symbolic link, not a directory"), error.getMessage());
    }

    @Test
    void aPrivateDirectoryOfAnotherUserIsRefused() throws IOException {
        Path created = PrivateFiles.directory(dir, "private");
        giveToNobody(created);
        UnsafeFileException error = assertThrows(UnsafeFileException.class, () -> PrivateFiles.directory(dir, "private"));
        assertTrue(error.getMessage().contains("is owned by uid " + uid(created)), error.getMessage());
    }

    @Test
    void aPrivateDirectoryIsOnlyKeptWhereOthersCannotRearrangeIt() throws IOException {
        Path open = Files.createDirectory(dir.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        UnsafeFileException error = assertThrows(UnsafeFileException.class, () -> PrivateFiles.directory(open, "private"));
        assertTrue(error.getMessage().contains("writable by other users and has no sticky bit"), error.getMessage());
        assertFalse(Files.exists(open.resolve("private")));

        Files.setAttribute(open, "unix:mode", 01777);   // like /tmp
        assertEquals(open.resolve("private"), PrivateFiles.directory(open, "private"));
    }

    @Test
    void orphansOfDeadProcessesAreDeletedAndNothingElse() throws IOException {
        long deadPid = Integer.MAX_VALUE;   // above any pid_max
        assumeTrue(ProcessHandle.of(deadPid).isEmpty());
        Path directory = PrivateFiles.directory(dir, "private");
        Path orphan = Files.writeString(directory.resolve("buffer-" + deadPid + "-abc.bin"), "x");
        Path ours = Files.writeString(directory.resolve(PrivateFiles.uniqueName("buffer", ".bin")), "x");
        Path notAPid = Files.writeString(directory.resolve("buffer-abc-1.bin"), "x");
        Path other = Files.writeString(directory.resolve("other-" + deadPid + "-abc.bin"), "x");

        assertEquals(1, PrivateFiles.deleteOrphans(directory, "buffer"));
        assertFalse(Files.exists(orphan));
        assertTrue(Files.exists(ours) && Files.exists(notAPid) && Files.exists(other));
    }

    @Test
    void uniqueNamesCarryThePidAndDiffer() {
        String name = PrivateFiles.uniqueName("buffer", ".bin");
        assertTrue(name.startsWith("buffer-" + ProcessHandle.current().pid() + "-"), name);
        assertTrue(name.endsWith(".bin"), name);
        assertFalse(name.equals(PrivateFiles.uniqueName("buffer", ".bin")));
    }

    @Test
    void theTemporaryRootIsTheRuntimeDirectoryWhenThereIsOne() {
        assertEquals(dir, PrivateFiles.temporaryRoot(dir.toString(), "/var/tmp"));
        assertEquals(Path.of("/var/tmp"), PrivateFiles.temporaryRoot(null, "/var/tmp"));
        assertEquals(Path.of("/var/tmp"), PrivateFiles.temporaryRoot("", "/var/tmp"));
        assertEquals(Path.of("/var/tmp"), PrivateFiles.temporaryRoot("relative/run", "/var/tmp"));
        assertEquals(Path.of("/var/tmp"), PrivateFiles.temporaryRoot(dir.resolve("missing").toString(), "/var/tmp"));
    }

    private Path victim(String name) throws IOException {
        return TestFiles.victim(dir.resolve(name));
    }
}
