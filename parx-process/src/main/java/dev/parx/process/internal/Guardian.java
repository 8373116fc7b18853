package dev.parx.process.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-JVM watchdog that ends commands when this JVM exits, however it exits ({@code kill -9}
 * included, which runs no shutdown hook).
 *
 * <p>It is a small {@code awk} program in a session of its own whose stdin is a pipe from this
 * JVM. The JVM writes one line per event: {@code + pgid} when a command's process group starts,
 * {@code - pgid} when the group is known to be gone (it was killed), {@code ? pgid} when its
 * leader exited normally (background members may remain). When the JVM dies the kernel closes the
 * pipe; at end-of-file the guardian sends SIGTERM to every group still registered, waits a second
 * and sends SIGKILL. The JVM's pipes are close-on-exec, and both the JDK and parx's native spawn
 * close all other descriptors in their children, so no command holds the pipe open. Groups
 * reported with {@code ?} are checked in batches against {@code ps} and forgotten once empty,
 * which keeps the set small and makes the reuse of a group id by an unrelated process practically
 * impossible.
 *
 * <p>Linux's parent-death signal is not used: it fires when the thread that forked the child
 * ends, and a command must not die because a pool thread retired.
 */
public final class Guardian {

    private static final Logger LOG = LoggerFactory.getLogger(Guardian.class);

    private static final String SCRIPT = """
            function sweep(   cmd, g, p) {
              cmd = "ps -e -o pgid="
              while ((cmd | getline g) > 0) { g = g + 0; alive[g ""] = 1 }
              close(cmd)
              for (p in maybe) if (!(p in alive)) { delete live[p]; delete maybe[p] }
              for (g in alive) delete alive[g]
              pending = 0
            }
            $1 == "+" { live[$2] = 1; next }
            $1 == "-" { delete live[$2]; delete maybe[$2]; next }
            $1 == "?" { maybe[$2] = 1; if (++pending >= 256) sweep(); next }
            END {
              c = 0; n = 0
              for (p in live) if (p + 0 > 1) { chunk[c] = chunk[c] " -" p; if (++n % 200 == 0) c++ }
              if (n == 0) exit
              for (i = 0; i <= c; i++) if (chunk[i] != "") system(KILL " -s TERM --" chunk[i] " 2>/dev/null")
              system("sleep 1")
              for (i = 0; i <= c; i++) if (chunk[i] != "") system(KILL " -s KILL --" chunk[i] " 2>/dev/null")
            }
            """;

    private static final Guardian INSTANCE = new Guardian();

    private final Set<Long> live = ConcurrentHashMap.newKeySet();
    private Process process;     // guarded by this
    private OutputStream pipe;   // guarded by this
    private boolean unavailable; // guarded by this

    private Guardian() {
    }

    /**
     * Registers a process group to end when this JVM exits.
     *
     * @param pgid the group id
     */
    public static void register(long pgid) {
        INSTANCE.live.add(pgid);
        INSTANCE.write("+ " + pgid + "\n", true);
    }

    /**
     * Says that a group was killed and is gone.
     *
     * @param pgid the group id
     */
    public static void released(long pgid) {
        if (INSTANCE.live.remove(pgid)) {
            INSTANCE.write("- " + pgid + "\n", false);
        }
    }

    /**
     * Says that a group's leader exited by itself; the group may still have members.
     *
     * @param pgid the group id
     */
    public static void leaderExited(long pgid) {
        if (INSTANCE.live.remove(pgid)) {
            INSTANCE.write("? " + pgid + "\n", false);
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
            return INSTANCE.process != null ? INSTANCE.process.toHandle() : null;
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
            // The guardian died (someone killed it): start a new one and tell it everything live.
            LOG.warn("the parx guardian process exited ({}); starting a new one", e.toString());
            process = null;
            if (ensureStarted()) {
                replay(line);
            }
        }
    }

    private void replay(String lastLine) {
        List<String> lines = new ArrayList<>();
        for (Long pgid : live) {
            lines.add("+ " + pgid + "\n");
        }
        lines.add(lastLine);
        try {
            for (String line : lines) {
                pipe.write(line.getBytes(StandardCharsets.US_ASCII));
            }
            pipe.flush();
        } catch (IOException e) {
            LOG.warn("the new parx guardian process failed too: {}", e.toString());
        }
    }

    private boolean ensureStarted() {
        if (process != null && process.isAlive()) {
            return true;
        }
        if (unavailable || !ProcessTrees.grouped() || ProcessTrees.killProgram().isEmpty()) {
            return false;
        }
        try {
            process = Launcher.startHelper(List.of(
                    "awk", "-v", "KILL=" + ProcessTrees.killProgram().orElseThrow(), SCRIPT));
            pipe = process.getOutputStream();
            return true;
        } catch (IOException e) {
            unavailable = true;
            LOG.warn("cannot start the parx guardian process ({}): commands may outlive this JVM if it is killed",
                    e.toString());
            return false;
        }
    }
}
