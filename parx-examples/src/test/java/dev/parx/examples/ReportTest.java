package dev.parx.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReportTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @Test
    void aStepPrintsOneLineWhenNotOnATerminal() {
        Report.Bar bar = new Report(out, false).bar("counting", 10);
        for (int i = 0; i < 10; i++) {
            bar.add(1);
        }
        bar.done("10 counted");
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(1, text.lines().count(), text);
        assertTrue(text.startsWith("  counting") && text.contains("10 counted"), text);
        assertTrue(text.endsWith("\n") && !text.contains("\r"), text);
    }

    @Test
    void aStepRedrawsItsBarInPlaceOnATerminalAndEndsWithTheSameLine() {
        Report.Bar bar = new Report(out, true).bar("counting", 4);
        bar.set(2);
        bar.done("4 counted");
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("\r  counting") && text.contains("[") && text.contains("%"), text);
        String last = text.substring(text.lastIndexOf('\r') + 1);
        assertTrue(last.startsWith("  counting") && last.contains("4 counted") && last.endsWith("\n"), last);
        // the final line covers the whole bar, so that no part of it is left on screen
        String firstBar = text.substring(1, text.indexOf('\r', 1));
        assertTrue(last.length() - 1 >= firstBar.length(), text);
    }

    @Test
    void aStepEndsOnce() {
        Report.Bar bar = new Report(out, false).bar("counting", 1);
        bar.done("first");
        bar.done("second");
        assertEquals(1, bytes.toString(StandardCharsets.UTF_8).lines().count());
    }
}
