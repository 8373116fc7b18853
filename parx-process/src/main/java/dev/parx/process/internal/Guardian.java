package dev.parx.process.internal;

import dev.parx.process.CommandStartException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-JVM watchdog that ends commands when this JVM exits, however it exits ({@code kill -9}
 * included, which runs no shutdown hook).
 *
 * <p>It is a second, small JVM ({@link GuardianMain}, flags in {@link GuardianLaunch}) started from
 * this JVM's own {@code java} launcher, so it needs no program on {@code PATH}. It runs in a session
 * of its own (started by {@code posix_spawn} with {@code POSIX_SPAWN_SETSID}, through the
 * {@code setsid} program where that is found in {@code /usr/bin} or {@code /bin}, or by calling
 * {@code setsid(2)} itself once it runs), and its stdin is a pipe from this JVM, to which this JVM
 * writes a line per event (the protocol is in {@link GuardianMain}). When this JVM dies the kernel
 * closes the pipe and the guardian ends the commands still registered. The JVM's pipes are
 * close-on-exec, and both the JDK and parx's native spawn close all other descriptors in their
 * children, so neither the guardian nor any command holds another's pipe.
 *
 * <p>Starting it costs one spawn, not a JVM start: registrations are written into the pipe at once
 * and wait in the kernel's buffer while the guardian JVM starts, and if this JVM dies before the
 * guardian read them, it still reads them before it sees end-of-file.
 *
 * <p>Where it cannot start at all (no {@code java} launcher in this runtime, or the spawn fails),
 * the first command that is not {@code detached()} fails with a {@link CommandStartException} that
 * says why, unless the system property {@value #UNPROTECTED} is {@code true}: then commands run
 * unprotected and this logs a warning once.
 *
 * <p>Linux's parent-death signal is not used: it fires when the thread that forked the child
 * ends, and a command must not die because a pool thread retired.
 */
public final class Guardian {

    /** The system property that lets commands run where no guardian can protect them. */
    public static final String UNPROTECTED = "parx.process.unprotected";

    private static final Logger LOG = LoggerFactory.getLogger(Guardian.class);

    /** A guardian that dies sooner than this after its start counts as one that cannot run here. */
    private static final long EARLY_DEATH_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int EARLY_DEATHS_TOLERATED = 3;

    private static final Guardian INSTANCE = new Guardian();

    /** Every registration the guardian holds, with its kind ('+' a group, 'p' a lone process), for a restart. */
    private final Map<Long, Character> live = new ConcurrentHashMap<>();
    private Process process;       // guarded by this
    private OutputStream pipe;     // guarded by this
    private long startedNanos;     // guarded by this
    private int earlyDeaths;       // guarded by this
    private boolean broken;        // guarded by this: a write failed, the guardian is gone or going
    private String unavailable;    // guarded by this: why no guardian can run here, once known
    private boolean warned;        // guarded by this

    private Guardian() {
    }

    /**
     * Makes sure that a guardian runs before a command that it must protect starts.
     *
     * @param command the command, for the exception
     * @throws CommandStartException if no guardian can run and {@value #UNPROTECTED} is not set
     */
    static void ensureRunning(List<String> command) {
        Guardian guardian = INSTANCE;
        synchronized (guardian) {
            if (guardian.ensureStarted()) {
                return;
            }
            if (Boolean.getBoolean(UNPROTECTED)) {
                if (!guardian.warned) {
                    guardian.warned = true;
                    LOG.warn("parx runs commands unprotected (-D{}=true): they may outlive this JVM if it is "
                            + "killed, because {}", UNPROTECTED, guardian.unavailable);
                }
                return;
            }
            throw new CommandStartException(command, "parx cannot guard it against outliving this JVM: "
                    + guardian.unavailable + ". Start the JVM with -D" + UNPROTECTED
                    + "=true to run commands unprotected, or make this command detached()", null);
        }
    }

    /**
     * Registers a command's process to end when this JVM exits: its process group if commands run
     * in groups of their own ({@link ProcessTrees#grouped()}), the process and its descendants
     * otherwise.
     *
     * @param pid the process, which leads its group if groups are used
     */
    public static void register(long pid) {
        char kind = ProcessTrees.grouped() ? '+' : 'p';
        INSTANCE.live.put(pid, kind);
        INSTANCE.write(kind + " " + pid + "\n", true);
    }

    /**
     * Says that a registered process (and its group) was killed and is gone.
     *
     * @param pid the process
     */
    public static void released(long pid) {
        if (INSTANCE.live.remove(pid) != null) {
            INSTANCE.write("- " + pid + "\n", false);
        }
    }

    /**
     * Says that a registered process exited by itself; its group may still have members.
     *
     * @param pid the process
     */
    public static void leaderExited(long pid) {
        Character kind = INSTANCE.live.remove(pid);
        if (kind != null) {
            // A lone process is gone; what it left behind is no longer linked to it.
            INSTANCE.write((kind == '+' ? "? " : "- ") + pid + "\n", false);
        }
    }

    /**
     * Returns the guardian's process, starting it if needed; for tests.
     *
     * @return the process, or null if it cannot run here
     */
    public static ProcessHandle handle() {
        synchronized (INSTANCE) {
            INSTANCE.ensureStarted();
            return INSTANCE.process != null && INSTANCE.process.isAlive() ? INSTANCE.process.toHandle() : null;
        }
    }

    /**
     * Writes a line. Only registrations must reach the guardian at once; forgetting a group can
     * wait in the buffer for the next registration (if the JVM dies first, the guardian just
     * signals a group that is already gone).
     */
    private synchronized void write(String line, boolean flush) {
        if (!ensureStarted()) {
            return;
        }
        try {
            pipe.write(line.getBytes(StandardCharsets.US_ASCII));
            if (flush) {
                pipe.flush();
            }
        } catch (IOException e) {
            // The guardian died (someone killed it): a new one is told everything live, this line included.
            LOG.warn("the parx guardian process exited ({}); starting a new one", e.toString());
            broken = true;
            ensureStarted();
        }
    }

    /** Starts the guardian unless it runs; a new one is told every live registration. */
    private boolean ensureStarted() {
        if (process != null && process.isAlive() && !broken) {
            return true;
        }
        if (unavailable != null) {
            return false;
        }
        boolean restart = process != null;
        if (restart) {
            process.destroyForcibly(); // if it is still exiting
            broken = false;
        }
        if (restart && System.nanoTime() - startedNanos < EARLY_DEATH_NANOS && ++earlyDeaths >= EARLY_DEATHS_TOLERATED) {
            unavailable = "the guardian process exited " + earlyDeaths + " times soon after its start";
            LOG.warn("parx cannot keep its guardian process running: {}; commands may outlive this JVM", unavailable);
            process = null;
            return false;
        }
        process = null;
        try {
            Process started = start();
            if (started == null) {
                return false;
            }
            process = started;
            pipe = started.getOutputStream();
            startedNanos = System.nanoTime();
        } catch (IOException | RuntimeException e) {
            unavailable = "its guardian process could not be started (" + e.getMessage() + ")";
            return false;
        }
        if (restart) {
            replay();
        }
        return true;
    }

    /** Starts the guardian JVM, or returns null (with the reason recorded) if this runtime has no launcher. */
    private Process start() throws IOException {
        Optional<Path> java = GuardianLaunch.javaLauncher(System.getProperty("java.home"));
        if (java.isEmpty()) {
            unavailable = "this Java runtime has no java launcher to start its guardian process with (java.home "
                    + System.getProperty("java.home") + ")";
            return null;
        }
        Optional<Path> location = GuardianLaunch.codeLocation();
        Path classPath = location.isPresent() ? location.get() : GuardianLaunch.copyClasses();
        return Launcher.startHelper(GuardianLaunch.commandLine(java.get(), classPath, location.isEmpty()),
                GuardianLaunch.REMOVED_VARIABLES);
    }

    private void replay() {
        StringBuilder lines = new StringBuilder();
        live.forEach((pid, kind) -> lines.append(kind).append(' ').append(pid).append('\n'));
        try {
            pipe.write(lines.toString().getBytes(StandardCharsets.US_ASCII));
            pipe.flush();
        } catch (IOException e) {
            LOG.warn("the new parx guardian process failed too: {}", e.toString());
        }
    }
}
