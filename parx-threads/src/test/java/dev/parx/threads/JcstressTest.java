package dev.parx.threads;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openjdk.jcstress.JCStress;
import org.openjdk.jcstress.Options;

/**
 * Runs the jcstress tests of this module ({@code RingOutcomes}, {@code SharedBufferOutcomes})
 * through jcstress's own runner, which forks JVMs with this test run's class path and fails with
 * an {@link AssertionError} naming every FORBIDDEN outcome seen. A JUnit test rather than a
 * separate plugin execution: the one command that runs the other proofs runs these, with
 * surefire's timeouts and reports, and the class path is the test class path by construction.
 *
 * <p>Quick mode (200 ms per iteration): enough for the store-buffering outcomes, which x86 shows
 * at once; the reports go to {@code target/jcstress}.
 */
@Tag("proofs")
class JcstressTest {

    private static final Path RESULTS = Path.of("target", "jcstress");

    /** Every test but the broken copies. */
    @Test
    @Timeout(1200)
    void noForbiddenOutcome() throws Exception {
        run("dev\\.parx\\.threads\\..*Outcomes\\.(?!Broken).*", "passing");
    }

    /** Each broken copy on its own, so that one caught does not hide another missed. */
    @Test
    @Timeout(600)
    void catchesAClosedFlagWrittenWithAReleaseStore() {
        assertThrows(AssertionError.class, () -> run(".*\\.BrokenCloseWakeUpWithReleaseStore", "broken-close"));
    }

    @Test
    @Timeout(600)
    void catchesDekkerWithReleaseStores() {
        assertThrows(AssertionError.class, () -> run(".*\\.BrokenDekkerWithReleaseStores", "broken-dekker"));
    }

    @Test
    @Timeout(600)
    void catchesARingThatPublishesAtTheClaim() {
        assertThrows(AssertionError.class, () -> run(".*\\.BrokenSpscPublishingAtClaim", "broken-publication"));
    }

    private static void run(String tests, String name) throws Exception {
        Path reports = RESULTS.resolve(name);
        Files.createDirectories(reports);
        Options options = new Options(new String[] {"-t", tests, "-m", "quick", "-r", reports.toString()});
        assertTrue(options.parse(), "jcstress options");
        try {
            new JCStress(options).run();
        } finally {
            keepResultFiles(reports);
        }
    }

    /** jcstress writes its raw results into the working directory: move them beside the report. */
    private static void keepResultFiles(Path reports) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(Path.of("."), "jcstress-results-*.bin.gz")) {
            for (Path file : files) {
                Files.move(file, reports.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
