package dev.parx.ipc.internal;

import dev.parx.threads.SharedBuffer;
import dev.parx.threads.SharedFileException;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.node.ObjectNode;

/**
 * Carries {@link SharedBuffer}s over the wire as the file they map, so that a task's input (or
 * output, or a message sent to it) may hold one: a Jackson module, registered in the parent's and
 * the child's mapper (also a mapper the user's factory made).
 *
 * <p>A buffer is written as {@code {"sharedBuffer": path, "bytes": n, "device": d, "inode": i}}: the
 * file's absolute path with no symbolic link among its directories, its size, and the device and
 * inode numbers that name the very file the parent saw. An allocated buffer (no file) or a closed
 * one is refused when it is written, so nothing is sent.
 *
 * <p>In the child, the value is read by {@link SharedBuffer#join joining} the file, after checking
 * that the path is absolute and normal, that no directory on it is a link, that the file is no link
 * and has the device, inode and size given (before and after joining); {@code join} itself refuses
 * a file that is not this user's alone. Every buffer joined while a {@link Joined} is
 * {@link #collecting collecting} on the thread belongs to it, and is closed (unmapped) when it is.
 * A buffer read with no collector is refused, so that no mapping is ever made without an owner.
 *
 * <p>In the parent, a buffer the child writes back is read as the parent's own buffer object for
 * that file, one this mapper wrote before and that is still open; any other file is refused: a child
 * cannot make the parent map a file it names. Thread-safe.
 */
public final class SharedBufferValues {

    static final String PATH = "sharedBuffer";
    static final String BYTES = "bytes";
    static final String DEVICE = "device";
    static final String INODE = "inode";
    private static final Set<String> FIELDS = Set.of(PATH, BYTES, DEVICE, INODE);
    private static final ThreadLocal<Joined> COLLECTOR = new ThreadLocal<>();

    private SharedBufferValues() {
    }

    /**
     * Returns the parent's mapper: the user's, or a plain one, with the module that writes buffers
     * and reads those a child sends back.
     *
     * @param mapper the user's mapper, or null
     * @return a mapper with the module
     */
    public static JsonMapper parent(JsonMapper mapper) {
        return withModule(mapper, new ParentSide());
    }

    /**
     * Returns the child's mapper: the user's, or a plain one, with the module that joins the files
     * of buffers it reads.
     *
     * @param mapper the user's mapper, or null
     * @return a mapper with the module
     */
    public static JsonMapper child(JsonMapper mapper) {
        return withModule(mapper, null);
    }

    private static JsonMapper withModule(JsonMapper mapper, ParentSide parent) {
        SimpleModule module = new SimpleModule("parx-shared-buffer");
        module.addSerializer(SharedBuffer.class, new Writer(parent));
        module.addDeserializer(SharedBuffer.class, parent != null ? new ParentReader(parent) : new ChildReader());
        return (mapper == null ? JsonMapper.builder() : mapper.rebuild()).addModule(module).build();
    }

    /**
     * Runs a decoding on this thread with {@code into} collecting the buffers it joins.
     *
     * @param into the owner of the buffers joined
     * @param decode the decoding
     * @param <T> what it returns
     * @return what it returned
     */
    public static <T> T collecting(Joined into, Supplier<T> decode) {
        Joined outer = COLLECTOR.get();
        COLLECTOR.set(into);
        try {
            return decode.get();
        } finally {
            if (outer == null) {
                COLLECTOR.remove();
            } else {
                COLLECTOR.set(outer);
            }
        }
    }

    /**
     * The buffers a child joined for one task; closing it closes them. Thread-safe; a buffer joined
     * after {@link #close()} is closed at once.
     */
    public static final class Joined implements AutoCloseable {
        private final List<SharedBuffer> buffers = new ArrayList<>();
        private boolean closed;

        void add(SharedBuffer buffer) {
            synchronized (this) {
                if (!closed) {
                    buffers.add(buffer);
                    return;
                }
            }
            buffer.close();
        }

        /**
         * Closes (unmaps) every buffer joined so far. Idempotent.
         */
        @Override
        public void close() {
            List<SharedBuffer> toClose;
            synchronized (this) {
                closed = true;
                toClose = List.copyOf(buffers);
                buffers.clear();
            }
            toClose.forEach(SharedBuffer::close);
        }
    }

    /** The file of a buffer, as it goes on the wire. */
    record Descriptor(Path path, long bytes, long device, long inode) {

        /** The identity of a file, for the parent's registry. */
        String key() {
            return device + ":" + inode + ":" + path;
        }
    }

    /** The device and inode of {@code file} itself (not of a link's target), or null if none. */
    private static long[] identity(Path file) throws IOException {
        Map<String, Object> attributes;
        try {
            attributes = Files.readAttributes(file, "unix:dev,ino", LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            throw new IOException("the file system of " + file + " has no device and inode numbers (not POSIX)", e);
        }
        return new long[] {((Number) attributes.get("dev")).longValue(), ((Number) attributes.get("ino")).longValue()};
    }

    /** Writes a buffer as its file; the parent's writer also remembers it. */
    private static final class Writer extends ValueSerializer<SharedBuffer> {
        private final ParentSide parent;

        Writer(ParentSide parent) {
            this.parent = parent;
        }

        @Override
        public void serialize(SharedBuffer buffer, JsonGenerator out, SerializationContext context) {
            Descriptor file = describe(buffer, context);
            out.writeStartObject();
            out.writeStringProperty(PATH, file.path().toString());
            out.writeNumberProperty(BYTES, file.bytes());
            out.writeNumberProperty(DEVICE, file.device());
            out.writeNumberProperty(INODE, file.inode());
            out.writeEndObject();
            if (parent != null) {
                parent.remember(file, buffer);
            }
        }

        private static Descriptor describe(SharedBuffer buffer, SerializationContext context) {
            if (buffer.path() == null) {
                throw DatabindException.from(context, "a SharedBuffer made by SharedBuffer.allocate is memory of this"
                        + " process alone and cannot cross to another JVM; map a file instead"
                        + " (SharedBuffer.createTemporary or SharedBuffer.create)");
            }
            if (buffer.isClosed()) {
                throw DatabindException.from(context, "the " + buffer + " is closed: a closed buffer cannot be sent");
            }
            Path path = buffer.path().toAbsolutePath();
            try {
                // No link among the directories on the wire: the reader refuses any.
                Path file = path.getParent().toRealPath().resolve(path.getFileName());
                long[] identity = identity(file);
                long size = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS).size();
                if (Files.isSymbolicLink(file) || size != buffer.byteSize()) {
                    throw DatabindException.from(context, "the file of the " + buffer + " was replaced or resized"
                            + " since it was mapped (it is now " + (Files.isSymbolicLink(file) ? "a symbolic link"
                            : size + " bytes") + "): it can no longer be shared");
                }
                return new Descriptor(file, size, identity[0], identity[1]);
            } catch (IOException e) {
                throw DatabindException.from(context, "the file of the " + buffer + " cannot be shared, it was "
                        + "deleted or cannot be read: " + e, e);
            }
        }
    }

    /** Reads the four fields of a buffer value; anything else is refused. */
    private static Descriptor read(JsonParser in, DeserializationContext context) {
        JsonNode node = context.readTree(in);
        if (!(node instanceof ObjectNode object) || object.size() != FIELDS.size()
                || !FIELDS.stream().allMatch(object::has) || !object.get(PATH).isString()
                || !whole(object.get(BYTES)) || !whole(object.get(DEVICE)) || !whole(object.get(INODE))) {
            throw DatabindException.from(in, "a SharedBuffer is written as {\"" + PATH + "\": path, \"" + BYTES
                    + "\": size, \"" + DEVICE + "\": number, \"" + INODE + "\": number}, not " + abbreviate(node));
        }
        Path path;
        try {
            path = Path.of(object.get(PATH).asString());
        } catch (java.nio.file.InvalidPathException e) {
            throw DatabindException.from(in, "the SharedBuffer path " + abbreviate(object.get(PATH)) + " is not a path");
        }
        return new Descriptor(path, object.get(BYTES).asLong(), object.get(DEVICE).asLong(),
                object.get(INODE).asLong());
    }

    private static boolean whole(JsonNode number) {
        return number.isIntegralNumber() && number.canConvertToLong();
    }

    private static String abbreviate(JsonNode node) {
        String text = String.valueOf(node);
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }

    /** The child's reader: joins the file, after checking it is the one the parent mapped. */
    private static final class ChildReader extends ValueDeserializer<SharedBuffer> {

        @Override
        public SharedBuffer deserialize(JsonParser in, DeserializationContext context) {
            Descriptor file = read(in, context);
            Joined owner = COLLECTOR.get();
            if (owner == null) {
                throw DatabindException.from(in, "a SharedBuffer can cross to a child only in a task's input or in a"
                        + " message sent to a task, refused " + file.path());
            }
            SharedBuffer buffer = join(file, in);
            owner.add(buffer);
            return buffer;
        }

        private static SharedBuffer join(Descriptor file, JsonParser in) {
            Path path = file.path();
            String refused = "refused to map the shared buffer file " + path + ": ";
            if (!path.isAbsolute() || !path.normalize().equals(path) || path.getParent() == null) {
                throw DatabindException.from(in, refused + "not an absolute, normal path");
            }
            try {
                Path real = path.getParent().toRealPath();
                if (!real.equals(path.getParent())) {
                    throw DatabindException.from(in, refused + "a directory on its path is a symbolic link (to "
                            + real + ")");
                }
                if (Files.isSymbolicLink(path)) {
                    throw DatabindException.from(in, refused + "it is a symbolic link");
                }
                requireSameFile(file, in, refused);
            } catch (IOException e) {
                throw DatabindException.from(in, refused + e, e);
            }
            SharedBuffer buffer;
            try {
                buffer = SharedBuffer.join(path);
            } catch (SharedFileException e) {
                throw DatabindException.from(in, refused + e.getMessage(), e);
            }
            try {
                if (buffer.byteSize() != file.bytes()) {
                    throw DatabindException.from(in, refused + "it has " + buffer.byteSize() + " bytes, the parent's "
                            + file.bytes() + ": not the parent's buffer");
                }
                requireSameFile(file, in, refused);
                return buffer;
            } catch (IOException | RuntimeException e) {
                buffer.close();
                throw e instanceof DatabindException databind ? databind : DatabindException.from(in, refused + e, e);
            }
        }

        private static void requireSameFile(Descriptor file, JsonParser in, String refused) throws IOException {
            long[] identity = identity(file.path());
            if (identity[0] != file.device() || identity[1] != file.inode()) {
                throw DatabindException.from(in, refused + "it is inode " + identity[1] + " on device " + identity[0]
                        + ", the parent's buffer inode " + file.inode() + " on device " + file.device()
                        + ": not the file the parent mapped");
            }
        }
    }

    /** The buffers the parent wrote, by file, so that one that comes back is read as the same object. */
    private static final class ParentSide {
        private final Map<String, WeakReference<SharedBuffer>> sent = new ConcurrentHashMap<>();
        private int sinceSweep;

        void remember(Descriptor file, SharedBuffer buffer) {
            WeakReference<SharedBuffer> known = sent.get(file.key());
            if (known != null && known.get() == buffer) {
                return;
            }
            sent.put(file.key(), new WeakReference<>(buffer));
            synchronized (this) {
                if (++sinceSweep >= 64) {
                    sinceSweep = 0;
                    sent.values().removeIf(reference -> {
                        SharedBuffer old = reference.get();
                        return old == null || old.isClosed();
                    });
                }
            }
        }

        SharedBuffer find(Descriptor file) {
            WeakReference<SharedBuffer> reference = sent.get(file.key());
            SharedBuffer buffer = reference == null ? null : reference.get();
            return buffer == null || buffer.isClosed() || buffer.byteSize() != file.bytes() ? null : buffer;
        }
    }

    /** The parent's reader: only a buffer it sent comes back, as the same object. */
    private static final class ParentReader extends ValueDeserializer<SharedBuffer> {
        private final ParentSide parent;

        ParentReader(ParentSide parent) {
            this.parent = parent;
        }

        @Override
        public SharedBuffer deserialize(JsonParser in, DeserializationContext context) {
            Descriptor file = read(in, context);
            SharedBuffer buffer = parent.find(file);
            if (buffer == null) {
                throw DatabindException.from(in, "refused the shared buffer file " + file.path() + " from the child:"
                        + " a child may return only an open SharedBuffer this pool sent it, and this is none");
            }
            return buffer;
        }
    }
}
