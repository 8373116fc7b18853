package dev.parx.process;

import dev.parx.process.internal.Launcher;
import java.util.HexFormat;

/**
 * A child JVM for {@link LocaleTest}, started without a locale: prints, in ASCII, its encodings,
 * how it starts commands, how it decodes a program's UTF-8 output, and which bytes a program
 * receives for a non-ASCII argument and environment variable (or why parx refused to pass them).
 */
public final class LocaleMain {

    private LocaleMain() {
    }

    /**
     * Runs the child.
     *
     * @param args none
     */
    public static void main(String[] args) {
        System.out.println("native.encoding=" + System.getProperty("native.encoding"));
        System.out.println("sun.jnu.encoding=" + System.getProperty("sun.jnu.encoding"));
        System.out.println("spawn=" + (Launcher.nativeSpawn() ? "native" : "jdk"));
        // The program writes "café 日本" in UTF-8; the arguments themselves are ASCII.
        String decoded = Command.of("printf", "caf\\303\\251 \\346\\227\\245\\346\\234\\254").exec().stdout();
        System.out.println("decoded=" + escape(decoded));
        System.out.println("argument=" + received(Command.of("printf", "%s", "caf\u00e9")));
        System.out.println("environment=" + received(Command.of("sh", "-c", "printf %s \"$WORD\"").env("WORD", "caf\u00e9")));
    }

    private static String received(Command command) {
        try {
            return HexFormat.of().formatHex(command.exec().stdoutBytes());
        } catch (CommandStartException e) {
            return "refused: " + escape(e.getMessage());
        }
    }

    private static String escape(String text) {
        StringBuilder escaped = new StringBuilder();
        text.chars().forEach(c -> escaped.append(c < 0x80 ? String.valueOf((char) c) : String.format("\\u%04x", c)));
        return escaped.toString();
    }
}
