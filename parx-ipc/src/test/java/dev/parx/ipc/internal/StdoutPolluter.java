package dev.parx.ipc.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM's main for {@link StdoutGuardTest}: installs the guard, writes frames, and pollutes
 * stdout from Java, from native code and from an inheriting subprocess (the last two only with
 * {@code native} as its argument). Its last frames carry what it captured, in Base64, and facts
 * about its descriptors.
 */
public final class StdoutPolluter {

    static final String JAVA_LINE = "from System.out: h\u00e9llo \u2713";
    static final String NATIVE_LINE = "from write(1): n\u00e4tive";
    static final String INHERITED_LINE = "from an inheriting subprocess";
    static final String FRAME_TEXT = "frame \u00fcn\u00efcode \u2713";
    static final String END = "end of capture";

    private StdoutPolluter() {
    }

    /**
     * Runs the child.
     *
     * @param args {@code native} to pollute at the descriptor level too
     * @throws Exception if anything fails: the test sees the exit code and stderr
     */
    public static void main(String[] args) throws Throwable {
        boolean polluteNatively = args.length > 0 && args[0].equals("native");
        String stdoutTarget = polluteNatively ? Files.readSymbolicLink(Path.of("/proc/self/fd/1")).toString() : null;
        StdoutGuard guard = StdoutGuard.install();
        boolean idempotent = StdoutGuard.install() == guard;

        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        CountDownLatch ended = new CountDownLatch(1);
        Thread drain = Thread.ofPlatform().daemon(true).start(() -> drain(guard.captured(), captured, ended));

        frame(guard, "mode " + guard.mode() + " native=" + guard.nativeLevel() + " idempotent=" + idempotent);
        System.out.println(JAVA_LINE);
        frame(guard, FRAME_TEXT);
        if (polluteNatively) {
            nativeWrite((NATIVE_LINE + "\n").getBytes(StandardCharsets.UTF_8));
            inheritingSubprocess();
            frame(guard, "frames descriptors " + framesDescriptors(stdoutTarget));
        }
        System.out.println(END);
        if (!ended.await(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the end of the capture never came");
        }
        synchronized (captured) {
            frame(guard, "captured " + Base64.getEncoder().encodeToString(captured.toByteArray()));
        }
        frame(guard, "bye");
        drain.interrupt();
    }

    private static void frame(StdoutGuard guard, String text) throws IOException {
        guard.frames().write((text + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void drain(InputStream in, ByteArrayOutputStream captured, CountDownLatch ended) {
        byte[] end = (END + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            int b;
            while ((b = in.read()) >= 0) {
                synchronized (captured) {
                    captured.write(b);
                    byte[] all = captured.toByteArray();
                    if (all.length >= end.length && new String(all, StandardCharsets.UTF_8).endsWith(END + "\n")) {
                        ended.countDown();
                    }
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @SuppressWarnings("restricted")
    private static void nativeWrite(byte[] bytes) throws Throwable {
        Linker linker = Linker.nativeLinker();
        MethodHandle write = linker.downcallHandle(linker.defaultLookup().find("write").orElseThrow(),
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocateFrom(new String(bytes, StandardCharsets.UTF_8));
            long written = (long) write.invokeExact(1, buffer, (long) bytes.length);
            if (written != bytes.length) {
                throw new AssertionError("write(1) wrote " + written + " of " + bytes.length);
            }
        }
    }

    /** Runs a program whose stdout is this JVM's fd 1: /bin/echo, or a JVM where there is none. */
    private static void inheritingSubprocess() throws Exception {
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(Path.of("/bin/echo"))) {
            command.addAll(List.of("/bin/echo", INHERITED_LINE));
        } else {
            command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), Echo.class.getName(), INHERITED_LINE));
        }
        Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError(command + " failed");
            }
        } finally {
            process.destroyForcibly();
        }
    }

    /** Says how many descriptors still point at the real stdout, and whether they are all close-on-exec. */
    private static String framesDescriptors(String stdoutTarget) throws IOException {
        int count = 0;
        boolean allCloseOnExec = true;
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException gone) {
                    continue;   // the descriptor of the listing itself
                }
                if (!target.equals(stdoutTarget)) {
                    continue;
                }
                count++;
                String info = Files.readString(Path.of("/proc/self/fdinfo", fd.getFileName().toString()));
                String flags = info.lines().filter(line -> line.startsWith("flags:")).findFirst().orElseThrow();
                allCloseOnExec &= (Integer.parseInt(flags.substring("flags:".length()).trim(), 8) & 02000000) != 0;
            }
        }
        return count + " cloexec=" + allCloseOnExec;
    }

    /** Prints its argument: the inheriting subprocess where there is no /bin/echo. */
    public static final class Echo {
        private Echo() {
        }

        /**
         * Prints the argument.
         *
         * @param args what to print
         */
        public static void main(String[] args) {
            System.out.println(args[0]);
        }
    }
}
