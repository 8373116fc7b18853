package dev.parx.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A JVM without a locale ({@code LANG}, {@code LC_ALL} and every {@code LC_*} unset) has ASCII
 * encodings; parx still decodes programs' UTF-8 output, and passes non-ASCII arguments as UTF-8
 * (natively) or refuses them (where the JDK would replace them with {@code ?}).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LocaleTest {

    private static final String CAFE_UTF8 = "636166c3a9";
    private static Map<String, String> child;

    @BeforeAll
    static void runAChildJvmWithoutALocale() {
        Command command = Command.of(ChildJvm.commandLine(List.of(ChildJvm.NATIVE_ACCESS), LocaleMain.class));
        for (String name : System.getenv().keySet()) {
            if (name.equals("LANG") || name.startsWith("LC_")) {
                command = command.removeEnv(name);
            }
        }
        child = command.exec().stdoutLines().stream()
                .filter(line -> line.contains("="))
                .collect(Collectors.toMap(line -> line.substring(0, line.indexOf('=')),
                        line -> line.substring(line.indexOf('=') + 1)));
    }

    @AfterEach
    void nothingLeftRunning() {
        Leaks.awaitNoChildren();
    }

    @Test
    void utf8OutputIsDecodedAsUtf8WhenTheLocaleIsAscii() {
        assumeTrue(child.get("native.encoding").equals("ANSI_X3.4-1968"), "no ASCII default here: " + child);
        assertEquals("caf\\u00e9 \\u65e5\\u672c", child.get("decoded"), child.toString());
    }

    @Test
    void nonAsciiArgumentsReachANativelySpawnedProgramAsUtf8() {
        assumeTrue(child.get("sun.jnu.encoding").equals("ANSI_X3.4-1968"), "no ASCII default here: " + child);
        assumeTrue(child.get("spawn").equals("native"), "started through ProcessBuilder");
        assertEquals(CAFE_UTF8, child.get("argument"), child.toString());
        assertEquals(CAFE_UTF8, child.get("environment"), child.toString());
    }

    @Test
    void nonAsciiArgumentsAreRefusedWithTheCauseAndTheFixWhereTheJdkWouldReplaceThem() {
        assumeTrue(child.get("sun.jnu.encoding").equals("ANSI_X3.4-1968"), "no ASCII default here: " + child);
        assumeTrue(child.get("spawn").equals("jdk"), "started natively");
        for (String key : List.of("argument", "environment")) {
            String outcome = child.get(key);
            assertTrue(outcome.startsWith("refused: "), key + ": " + outcome);
            assertTrue(outcome.contains("caf\\u00e9") && outcome.contains("sun.jnu.encoding")
                    && outcome.contains("LANG=C.UTF-8"), outcome);
        }
    }
}
