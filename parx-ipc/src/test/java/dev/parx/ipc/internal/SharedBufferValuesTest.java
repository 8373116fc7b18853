package dev.parx.ipc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parx.threads.SharedBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The wire form of a SharedBuffer, both mappers in this JVM. */
class SharedBufferValuesTest {

    @TempDir
    Path directory;

    private final ObjectMapper parent = new Wire(SharedBufferValues.parent(null)).mapper();
    private final ObjectMapper child = new Wire(SharedBufferValues.child(null)).mapper();

    @Test
    void aBufferIsWrittenAsItsFileAndJoinedOnTheOtherSideUntilItsOwnerCloses() throws Exception {
        try (SharedBuffer buffer = SharedBuffer.create(directory.resolve("b.bin"), 128)) {
            JsonNode wire = parent.valueToTree(buffer);
            assertEquals(directory.toRealPath().resolve("b.bin").toString(), wire.get("sharedBuffer").asString());
            assertEquals(128, wire.get("bytes").asLong());
            assertEquals(4, wire.size(), wire::toString);

            SharedBufferValues.Joined joined = new SharedBufferValues.Joined();
            SharedBuffer mapped = SharedBufferValues.collecting(joined, () -> child.treeToValue(wire, SharedBuffer.class));
            mapped.setLongVolatile(64, 9);
            assertEquals(9, buffer.getLongVolatile(64));
            joined.close();
            assertTrue(mapped.isClosed());
            assertTrue(!buffer.isClosed());

            assertSame(buffer, parent.treeToValue(wire, SharedBuffer.class), "what comes back is the sent object");
        }
    }

    @Test
    void theChildRefusesABufferWithNoOwnerAndMalformedValues() throws Exception {
        try (SharedBuffer buffer = SharedBuffer.create(directory.resolve("c.bin"), 64)) {
            JsonNode wire = parent.valueToTree(buffer);
            JacksonException noOwner = assertThrows(JacksonException.class,
                    () -> child.treeToValue(wire, SharedBuffer.class));
            assertTrue(noOwner.getOriginalMessage().contains("only in a task's input"), noOwner.getOriginalMessage());

            SharedBufferValues.Joined joined = new SharedBufferValues.Joined();
            for (String bad : new String[] {"\"/tmp/x\"", "{\"sharedBuffer\":\"/tmp/x\"}",
                    "{\"sharedBuffer\":\"/tmp/x\",\"bytes\":1.5,\"device\":1,\"inode\":2}",
                    "{\"sharedBuffer\":\"/tmp/x\",\"bytes\":1,\"device\":1,\"inode\":2,\"extra\":0}"}) {
                JacksonException refused = assertThrows(JacksonException.class, () -> SharedBufferValues.collecting(
                        joined, () -> child.readValue(bad, SharedBuffer.class)), bad);
                assertTrue(refused.getOriginalMessage().startsWith("a SharedBuffer is written as"), refused::toString);
            }
            JacksonException relative = assertThrows(JacksonException.class, () -> SharedBufferValues.collecting(joined,
                    () -> child.readValue("{\"sharedBuffer\":\"b/../c.bin\",\"bytes\":64,\"device\":1,\"inode\":2}",
                            SharedBuffer.class)));
            assertTrue(relative.getOriginalMessage().contains("not an absolute, normal path"), relative::toString);
        }
    }

    @Test
    void theParentRefusesAFileItNeverSentAndOneItSentThatIsClosedSince() throws Exception {
        SharedBuffer buffer = SharedBuffer.create(directory.resolve("p.bin"), 64);
        JsonNode wire = child.valueToTree(buffer);   // written by a child: the parent never saw it
        JacksonException never = assertThrows(JacksonException.class, () -> parent.treeToValue(wire, SharedBuffer.class));
        assertTrue(never.getOriginalMessage().contains("a child may return only an open SharedBuffer this pool sent"),
                never.getOriginalMessage());
        parent.valueToTree(buffer);
        buffer.close();
        assertThrows(JacksonException.class, () -> parent.treeToValue(wire, SharedBuffer.class));
    }
}
