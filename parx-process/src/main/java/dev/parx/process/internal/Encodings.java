package dev.parx.process.internal;

import dev.parx.process.CommandStartException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The charsets of text crossing to and from commands. The JVM takes them from the locale, and a
 * POSIX (C) locale, which is what a process gets with {@code LANG} and {@code LC_ALL} unset (in a
 * container, under cron or systemd), makes them ASCII: every other character becomes {@code ?}.
 * Programs write UTF-8 all the same, so parx reads and writes UTF-8 there, as Python does in the C
 * locale (PEP 538, 540) and Node always does. Stateless and thread-safe.
 */
final class Encodings {

    private static final Charset NATIVE = charset(System.getProperty("native.encoding"));
    private static final Charset JNU = charset(System.getProperty("sun.jnu.encoding"));

    private Encodings() {
    }

    /**
     * Returns the default charset of a command's text: {@code native.encoding}, except UTF-8 where
     * that is ASCII.
     *
     * @return the charset
     */
    static Charset text() {
        return orUtf8(NATIVE);
    }

    /**
     * Returns the charset in which the JDK passes strings to the operating system
     * ({@code sun.jnu.encoding}): file names, and arguments and environment on the
     * {@link ProcessBuilder} path.
     *
     * @return the charset
     */
    static Charset jnu() {
        return JNU;
    }

    /**
     * Returns the charset of the arguments and environment that parx passes to a natively spawned
     * command: {@code sun.jnu.encoding}, except UTF-8 where that is ASCII.
     *
     * @return the charset
     */
    static Charset arguments() {
        return orUtf8(JNU);
    }

    /**
     * Refuses a string that a charset cannot encode, rather than let the program run with
     * {@code ?} in its place.
     *
     * @param charset the charset it is passed in
     * @param string an argument or an environment variable
     * @param what what the string is, for the message, such as {@code "argument"}
     * @param display the command, for the message
     * @throws CommandStartException if the charset cannot encode it
     */
    static void checkEncodable(Charset charset, String string, String what, List<String> display) {
        if (!ascii(string) && !charset.newEncoder().canEncode(string)) {
            throw new CommandStartException(display, what + " \"" + string + "\" cannot be passed to the program: this JVM"
                    + " passes arguments and environment in " + charset.name() + " (sun.jnu.encoding, from the locale),"
                    + " which has no bytes for some of its characters. Start the JVM with a UTF-8 locale (for example"
                    + " LANG=C.UTF-8), or let parx start commands natively (--enable-native-access), which passes"
                    + " them as UTF-8 when the locale is ASCII.", null);
        }
    }

    private static boolean ascii(String string) {
        for (int i = 0; i < string.length(); i++) {
            if (string.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static Charset orUtf8(Charset charset) {
        return charset.equals(StandardCharsets.US_ASCII) ? StandardCharsets.UTF_8 : charset;
    }

    private static Charset charset(String name) {
        try {
            return name != null ? Charset.forName(name) : Charset.defaultCharset();
        } catch (IllegalArgumentException e) {
            return Charset.defaultCharset();
        }
    }
}
