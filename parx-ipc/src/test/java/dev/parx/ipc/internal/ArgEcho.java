package dev.parx.ipc.internal;

import java.io.File;
import java.nio.file.Path;

/**
 * A child JVM's main for {@link ArgFilesTest}: prints, in ASCII with {@code \}{@code uXXXX} escapes,
 * where its class came from, how many class path entries it got, then each argument, one a line.
 */
public final class ArgEcho {

    private ArgEcho() {
    }

    /**
     * Prints what it got.
     *
     * @param args the arguments to echo
     * @throws Exception if its class's location cannot be read
     */
    public static void main(String[] args) throws Exception {
        System.out.println("from " + escape(Path.of(ArgEcho.class.getProtectionDomain().getCodeSource().getLocation()
                .toURI()).toString()));
        System.out.println("entries " + System.getProperty("java.class.path").split(File.pathSeparator).length);
        for (String arg : args) {
            System.out.println("arg " + escape(arg));
        }
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder();
        text.chars().forEach(c -> out.append(c >= 0x20 && c < 0x7f && c != '\\' ? String.valueOf((char) c)
                : String.format("\\u%04x", c)));
        return out.toString();
    }
}
