package dev.parx.threads;

import static dev.parx.threads.internal.TestFiles.assertVictimUntouched;
import static dev.parx.threads.internal.TestFiles.giveToNobody;
import static dev.parx.threads.internal.TestFiles.permissions;
import static dev.parx.threads.internal.TestFiles.victim;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.parx.engine.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A buffer's file is its owner's alone, and no planted link or foreign file is ever used. */
class SharedBufferFilesTest {

    @TempDir
    Path dir;

    @Test
    void createMakesAFileOnlyItsOwnerMayReadOrWrite() throws IOException {
        Path file = dir.resolve("shared.bin");
        try (SharedBuffer buffer = SharedBuffer.create(file, 4096)) {
            assertEquals("rw-------", permissions(file), "whatever the umask");
            assertEquals(4096, buffer.byteSize());
        }
    }

    @Test
    void createRefusesAPlantedLinkAndNeverTouchesItsTarget() throws IOException {
        Path victim = victim(dir.resolve("victim.txt"));
        Path link = Files.createSymbolicLink(dir.resolve("link.bin"), victim);
        SharedFileException error = assertThrows(SharedFileException.class, () -> SharedBuffer.create(link, 4096));
        assertTrue(error.getMessage().contains("cannot create shared buffer file: " + link + ": exists already"),
                error.getMessage());
        assertEquals(link, error.file());
        assertVictimUntouched(victim);
        assertTrue(Files.isSymbolicLink(link), "the link is left as it was");
    }

    @Test
    void createRefusesAnExistingFileAndLeavesIt() throws IOException {
        Path existing = victim(dir.resolve("existing.bin"));
        SharedFileException error = assertThrows(SharedFileException.class, () -> SharedBuffer.create(existing, 4096));
        assertTrue(error.getMessage().contains("exists already"), error.getMessage());
        assertVictimUntouched(existing);
    }

    @Test
    void joinRefusesAPlantedLinkAndNeverTouchesItsTarget() throws IOException {
        Path victim = victim(dir.resolve("victim.txt"));
        Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rw-------"));
        Path link = Files.createSymbolicLink(dir.resolve("link.bin"), victim);
        SharedFileException error = assertThrows(SharedFileException.class, () -> SharedBuffer.join(link));
        assertTrue(error.getMessage().contains("cannot join shared buffer file: " + link + ": is a symbolic link"),
                error.getMessage());
        assertVictimUntouched(victim);
    }

    @Test
    void joinRefusesAFileThatOthersMayReadOrWrite() throws IOException {
        Path file = dir.resolve("shared.bin");
        SharedBuffer.create(file, 4096).close();
        for (String mode : new String[] {"rw-r--r--", "rw-r-----", "rw-----w-"}) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
            SharedFileException error = assertThrows(SharedFileException.class, () -> SharedBuffer.join(file), mode);
            assertTrue(error.getMessage().contains("has permissions " + mode + ", so other users may read or write it"),
                    error.getMessage());
        }
    }

    @Test
    void joinRefusesAnotherUsersFile() throws IOException {
        Path file = dir.resolve("shared.bin");
        SharedBuffer.create(file, 4096).close();
        giveToNobody(file);
        SharedFileException error = assertThrows(SharedFileException.class, () -> SharedBuffer.join(file));
        assertTrue(error.getMessage().contains("is owned by uid"), error.getMessage());
        assertTrue(error.getMessage().contains("not by this process's user"), error.getMessage());
    }

    @Test
    void joinSaysWhenThereIsNoFileOrAnEmptyOne() throws IOException {
        Path missing = dir.resolve("missing.bin");
        SharedFileException error = assertThrows(SharedFileException.class, () -> SharedBuffer.join(missing));
        assertTrue(error.getMessage().contains(missing + ": no such file"), error.getMessage());

        Path empty = Files.createFile(dir.resolve("empty.bin"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        error = assertThrows(SharedFileException.class, () -> SharedBuffer.join(empty));
        assertTrue(error.getMessage().contains("is empty"), error.getMessage());
    }

    @Test
    void aTemporaryBufferLivesInAPrivateDirectoryUntilItIsClosed() throws IOException {
        Path file;
        try (SharedBuffer created = SharedBuffer.createTemporary(4096, dir)) {
            file = created.path();
            Path directory = file.getParent();
            assertEquals(dir.resolve("parx-" + PrivateFiles.currentUid()), directory);
            assertEquals("rwx------", permissions(directory));
            assertEquals("rw-------", permissions(file));
            assertTrue(file.getFileName().toString().startsWith("buffer-" + ProcessHandle.current().pid() + "-"), file.toString());
            try (SharedBuffer joined = SharedBuffer.join(file)) {
                created.setLongVolatile(0, 7);
                assertEquals(7, joined.getLongVolatile(0));
            }
        }
        assertFalse(Files.exists(file), "closing deletes the file");
        try (SharedBuffer again = SharedBuffer.createTemporary(64, dir)) {
            assertEquals(file.getParent(), again.path().getParent(), "the private directory is reused");
            assertFalse(file.equals(again.path()));
        }
    }

    @Test
    void aTemporaryBufferRefusesAPrivateDirectoryWhoseModeWasChanged() throws IOException {
        Path directory;
        try (SharedBuffer buffer = SharedBuffer.createTemporary(64, dir)) {
            directory = buffer.path().getParent();
        }
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        SharedFileException error = assertThrows(SharedFileException.class, () -> SharedBuffer.createTemporary(64, dir));
        assertTrue(error.getMessage().contains(directory + ": has permissions rwxr-xr-x, not exactly rwx------ (0700)"),
                error.getMessage());
        assertEquals(directory, error.file());
        try (Stream<Path> files = Files.list(directory)) {
            assertEquals(0, files.count(), "nothing was created in it");
        }
    }

    @Test
    void aTemporaryBufferRefusesAPrivateDirectoryThatIsALink() throws IOException {
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.createSymbolicLink(dir.resolve("parx-" + PrivateFiles.currentUid()), elsewhere);
        SharedFileException error = assertThrows(SharedFileException.class, () -> SharedBuffer.createTemporary(64, dir));
        assertTrue(error.getMessage().contains("is a symbolic link, not a directory"), error.getMessage());
        try (Stream<Path> files = Files.list(elsewhere)) {
            assertEquals(0, files.count(), "nothing was created where the link points");
        }
    }

    @Test
    void aTemporaryBufferDeletesTheFilesOfCreatorsThatDied() throws IOException {
        long deadPid = Integer.MAX_VALUE;   // above any pid_max
        assumeTrue(ProcessHandle.of(deadPid).isEmpty());
        Path directory = PrivateFiles.userDirectory(dir);
        Path orphan = Files.writeString(directory.resolve("buffer-" + deadPid + "-x.bin"), "left by a dead JVM");
        try (SharedBuffer buffer = SharedBuffer.createTemporary(64, dir)) {
            assertFalse(Files.exists(orphan));
            assertTrue(Files.exists(buffer.path()), "a live creator's file stays");
        }
    }

    @Test
    @Timeout(60)
    void aTemporaryBufferDroppedUnclosedHasItsFileDeletedWhenCollected() {
        Path file = dropTemporaryBuffer();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            System.gc();
            return !Files.exists(file);
        });
    }

    private Path dropTemporaryBuffer() {
        SharedBuffer buffer = SharedBuffer.createTemporary(64, dir);
        assertTrue(Files.exists(buffer.path()));
        return buffer.path();
    }
}
