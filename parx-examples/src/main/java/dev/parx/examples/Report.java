package dev.parx.examples;

import java.io.Console;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Where the examples write: headings, plain lines, and progress bars for long steps.
 *
 * <p>On a terminal a bar is redrawn in place (with a carriage return, at most ten times a second);
 * anywhere else (a pipe, a log file, CI) a step prints nothing while it runs and exactly one line
 * when it ends, so a log never gets thousands of carriage returns. Both modes end a step with the
 * same line.
 *
 * <p>Thread-safe: every method may be called from any thread (pool callbacks, I/O threads). On a
 * terminal, each running bar has a daemon thread that redraws it ten times a second, so that its
 * clock moves while no progress comes; it ends with the step.
 */
public final class Report {

    private static final int BAR_WIDTH = 24;
    private static final long REDRAW_NANOS = 100_000_000;

    private final PrintStream out;
    private final boolean terminal;

    /**
     * Creates a report.
     *
     * @param out where to write
     * @param terminal whether {@code out} is a terminal that understands a carriage return
     */
    public Report(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /**
     * Returns a report on {@code System.out}, in terminal mode only if this JVM's standard input
     * and output are a terminal ({@link Console#isTerminal()}).
     *
     * @return the report
     */
    public static Report toStdout() {
        Console console = System.console();
        return new Report(System.out, console != null && console.isTerminal());
    }

    /**
     * Returns whether bars are drawn in place.
     *
     * @return true on a terminal
     */
    public boolean terminal() {
        return terminal;
    }

    /**
     * Prints a heading with a blank line before it.
     *
     * @param title the heading
     */
    public synchronized void heading(String title) {
        out.println();
        out.println("== " + title);
    }

    /**
     * Prints one line, formatted with {@link Locale#ROOT}.
     *
     * @param format a {@link java.util.Formatter} format
     * @param args its arguments
     */
    public synchronized void line(String format, Object... args) {
        String text = String.format(Locale.ROOT, format, args);
        out.println(text.isEmpty() ? "" : "  " + text);
        out.flush();
    }

    /**
     * Starts a step with a progress bar that runs from 0 to {@code total}.
     *
     * @param label what the step does, in a few words
     * @param total the units of work, at least 1
     * @return the bar, to update and then {@link Bar#done(String) end}
     */
    public Bar bar(String label, long total) {
        return new Bar(label, Math.max(1, total));
    }

    /**
     * The progress of one step. Thread-safe: {@link #set} and {@link #add} may be called from any
     * thread, also at the same time.
     */
    public final class Bar {

        private final String label;
        private final long total;
        private final long started = System.nanoTime();
        private long done;
        private long drawnAt;
        private int drawnWidth;
        private boolean ended;

        private Bar(String label, long total) {
            this.label = label;
            this.total = total;
            synchronized (Report.this) {
                draw();
            }
            if (terminal) {
                // Redraws the elapsed time while no progress comes (a child JVM that starts).
                Thread.ofPlatform().daemon().name("parx-demo-progress").start(this::tick);
            }
        }

        private void tick() {
            while (true) {
                try {
                    Thread.sleep(REDRAW_NANOS / 1_000_000);
                } catch (InterruptedException e) {
                    return;
                }
                synchronized (Report.this) {
                    if (ended) {
                        return;
                    }
                    draw();
                }
            }
        }

        /**
         * Adds finished units.
         *
         * @param units how many units were finished
         */
        public void add(long units) {
            synchronized (Report.this) {
                set(done + units);
            }
        }

        /**
         * Sets how many units are finished; a value beyond the total counts as the total.
         *
         * @param units the finished units
         */
        public void set(long units) {
            synchronized (Report.this) {
                done = Math.min(total, Math.max(done, units));
                if (System.nanoTime() - drawnAt >= REDRAW_NANOS) {
                    draw();
                }
            }
        }

        /**
         * Sets the finished part as a fraction of the total.
         *
         * @param fraction from 0 to 1
         */
        public void fraction(double fraction) {
            set(Math.round(fraction * total));
        }

        /**
         * Ends the step with one line: the label, the summary and the time the step took.
         *
         * @param summary what the step found
         * @return the seconds the step took
         */
        public double done(String summary) {
            double seconds = (System.nanoTime() - started) / 1e9;
            synchronized (Report.this) {
                if (!ended) {
                    ended = true;
                    String line = String.format(Locale.ROOT, "  %-34s %s (%.2f s)", label, summary, seconds);
                    // On a terminal, blanks wipe what is left of a longer bar.
                    out.print(terminal ? "\r" + line + " ".repeat(Math.max(0, drawnWidth - line.length())) + "\n"
                            : line + "\n");
                    out.flush();
                }
            }
            return seconds;
        }

        private void draw() {
            drawnAt = System.nanoTime();
            if (!terminal || ended) {
                return;
            }
            double fraction = (double) done / total;
            int filled = (int) (fraction * BAR_WIDTH);
            String bar = String.format(Locale.ROOT, "  %-34s [%s%s] %3d%% %5.1f s", label, "#".repeat(filled),
                    ".".repeat(BAR_WIDTH - filled), (int) (fraction * 100), (drawnAt - started) / 1e9);
            drawnWidth = bar.length();
            out.print("\r" + bar);
            out.flush();
        }
    }
}
