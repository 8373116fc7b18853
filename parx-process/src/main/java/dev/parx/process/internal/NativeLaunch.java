package dev.parx.process.internal;

import dev.parx.process.CommandStartException;
import dev.parx.process.Output;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a command or a pipeline with {@link NativeSpawn}: creates the pipes between this JVM and
 * the stages and between the stages, hands each child its ends, and gives this JVM's ends to the
 * {@link NativeProcess}es. Every descriptor is close-on-exec and above 2, so that no child inherits
 * another's and no {@code dup2} onto a standard descriptor clobbers one still to be used. Either
 * every stage starts, or none is left running and every descriptor is closed.
 *
 * <p>Stateless and thread-safe: each launch uses only its own descriptors.
 */
final class NativeLaunch {

    private NativeLaunch() {
    }

    /**
     * Starts every stage, connected stdout-to-stdin, as {@code ProcessBuilder.startPipeline} does:
     * if one cannot start, those already started are killed and reaped before this throws.
     *
     * @param stages the stages, one for a plain command
     * @param argvs each stage's program (absolute, as {@link Programs#resolve} found it) and arguments
     * @param stdin the first stage's stdin
     * @param display the command as the user wrote it, for errors
     * @param helper true for a helper process that lives as long as this JVM
     * @return the processes, in stage order
     * @throws CommandStartException if a stage could not start
     */
    static List<Process> launch(List<Spec> stages, List<List<String>> argvs, Input stdin, List<String> display,
            boolean helper) {
        List<Process> started = new ArrayList<>(stages.size());
        int linkRead = -1; // the read end of the pipe from the previous stage
        try {
            for (int i = 0; i < stages.size(); i++) {
                Spec spec = stages.get(i);
                boolean last = i == stages.size() - 1;
                Stage stage = new Stage();
                try {
                    if (i > 0) {
                        stage.childIn = linkRead;
                        linkRead = -1;
                    } else if (stdin instanceof Input.FromFile(var file)) {
                        stage.childIn = openStdin(file, display);
                    } else {
                        int[] pipe = pipe(display);
                        stage.childIn = pipe[0];
                        stage.parentIn = pipe[1];
                    }
                    if (!last) {
                        int[] pipe = pipe(display);
                        stage.childOut = pipe[1];
                        linkRead = pipe[0];
                    } else if (!(spec.stdout instanceof Output.Discard)) {
                        int[] pipe = pipe(display);
                        stage.childOut = pipe[1];
                        stage.parentOut = pipe[0];
                    }
                    if (!spec.mergeStderr && !(spec.stderr instanceof Output.Discard)) {
                        int[] pipe = pipe(display);
                        stage.childErr = pipe[1];
                        stage.parentErr = pipe[0];
                    }
                    int pid = NativeSpawn.spawn(spec, argvs.get(i), stage.childIn, stage.childOut, stage.childErr,
                            display);
                    stage.closeChildEnds();
                    int in = stage.parentIn;
                    int out = stage.parentOut;
                    int err = stage.parentErr;
                    stage.parentIn = -1; // the process owns them now, even if it fails
                    stage.parentOut = -1;
                    stage.parentErr = -1;
                    started.add(new NativeProcess(pid, in, out, err, helper));
                } catch (RuntimeException | Error e) {
                    stage.closeChildEnds();
                    stage.closeParentEnds();
                    throw e;
                }
            }
            return started;
        } catch (RuntimeException | Error e) {
            if (linkRead >= 0) {
                LibC.close(linkRead);
            }
            killStarted(started);
            throw e;
        }
    }

    /** The descriptors of one stage: the child's (closed in this JVM once it started) and ours. */
    private static final class Stage {
        int childIn = -1;
        int childOut = -1;
        int childErr = -1;
        int parentIn = -1;
        int parentOut = -1;
        int parentErr = -1;

        void closeChildEnds() {
            childIn = closeIfOpen(childIn);
            childOut = closeIfOpen(childOut);
            childErr = closeIfOpen(childErr);
        }

        void closeParentEnds() {
            parentIn = closeIfOpen(parentIn);
            parentOut = closeIfOpen(parentOut);
            parentErr = closeIfOpen(parentErr);
        }

        private static int closeIfOpen(int fd) {
            if (fd >= 0) {
                LibC.close(fd);
            }
            return -1;
        }
    }

    /** Creates a pipe whose ends are above the standard descriptors, so that no dup2 clobbers another. */
    private static int[] pipe(List<String> display) {
        int[] pipe;
        try {
            pipe = LibC.pipe();
        } catch (IOException e) {
            throw new CommandStartException(display, "cannot create a pipe: " + e.getMessage(), e);
        }
        try {
            pipe[0] = aboveStdio(pipe[0]);
        } catch (RuntimeException e) {
            LibC.close(pipe[1]);
            throw e;
        }
        try {
            pipe[1] = aboveStdio(pipe[1]);
        } catch (RuntimeException e) {
            LibC.close(pipe[0]);
            throw e;
        }
        return pipe;
    }

    /** Moves a descriptor above 2; only needed in a JVM started with a standard descriptor closed. */
    private static int aboveStdio(int fd) {
        if (fd > 2) {
            return fd;
        }
        int moved = LibC.duplicateAbove(fd, 3);
        LibC.close(fd);
        if (moved < 0) {
            throw new IllegalStateException("fcntl(F_DUPFD_CLOEXEC) failed");
        }
        return moved;
    }

    private static int openStdin(Path file, List<String> display) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = LibC.captureSegment(arena);
            int fd = LibC.open(capture, NativeSpawn.cString(arena, file.toString()), LibC.O_RDONLY);
            if (fd < 0) {
                throw new CommandStartException(display, "stdin file '" + file + "' cannot be read: "
                        + LibC.strerror(LibC.errno(capture)), null);
            }
            return aboveStdio(fd);
        }
    }

    /** Ends the stages that did start before a later one failed, as the JDK does for a pipeline. */
    private static void killStarted(List<Process> started) {
        for (Process process : started) {
            LibC.kill((int) -process.pid(), LibC.SIGKILL);
            process.destroyForcibly();
            ((NativeProcess) process).closeStreams();
        }
        boolean interrupted = false;
        for (Process process : started) {
            while (true) {
                try {
                    process.waitFor();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
