package dev.parx.examples;

import dev.parx.process.Command;
import dev.parx.process.CommandResult;
import dev.parx.process.CommandStartException;
import dev.parx.process.ProcessFailedException;
import java.time.Duration;

/**
 * Exercise 1: run a system command and capture its output, handling both success and failure.
 *
 * <p>{@code Command.of(..).exec()} runs a program with its arguments (no shell), waits for it, and
 * returns its exit code, stdout and stderr. A command that exits with a code it may not use
 * (anything but 0, unless {@code allowExitCodes} says otherwise) throws
 * {@link ProcessFailedException}, with the exit code and the last lines of stderr; a program that
 * cannot start throws {@link CommandStartException}.
 *
 * <p>Run it alone:
 * <pre>{@code
 * ./mvnw -q -Pdemo package -Dparx.demo=RunCommand
 * }</pre>
 */
public final class RunCommand {

    private RunCommand() {
    }

    /**
     * What the exercise saw.
     *
     * @param output what {@code uname -sr} printed
     * @param exitCode its exit code
     * @param failedExitCode the exit code of {@code ls} on a directory that does not exist
     * @param failedStderr the last line of that command's stderr
     * @param missingProgram the type of the exception for a program that does not exist
     */
    public record Result(String output, int exitCode, int failedExitCode, String failedStderr, String missingProgram) {
    }

    /**
     * Runs the exercise.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        run(Report.toStdout());
    }

    /**
     * Runs a command that succeeds, one that fails and one that cannot start.
     *
     * @param report where to write
     * @return what was seen
     */
    public static Result run(Report report) {
        report.heading("1. Run a command and capture its output");

        CommandResult uname = Command.of("uname", "-sr").timeout(Duration.ofSeconds(10)).exec();
        report.line("uname -sr           -> exit %d in %d ms, stdout: %s", uname.exitCode(),
                uname.duration().toMillis(), uname.stdoutTrimmed());

        int failedExit;
        String failedStderr;
        try {
            Command.of("ls", "/no/such/directory").timeout(Duration.ofSeconds(10)).exec();
            throw new IllegalStateException("ls of a missing directory succeeded");
        } catch (ProcessFailedException e) {
            failedExit = e.exitCode();
            failedStderr = e.stderrTail().isEmpty() ? "" : e.stderrTail().getLast();
            report.line("ls /no/such/directory -> %s: exit %d, stderr: %s", e.getClass().getSimpleName(),
                    failedExit, failedStderr);
        }

        // A code you expect is not a failure: allow it, then read it from the result.
        CommandResult grep = Command.of("grep", "-q", "needle").stdin("haystack\n").allowExitCodes(1).exec();
        report.line("grep -q needle      -> exit %d (no match, allowed with allowExitCodes(1))", grep.exitCode());

        String missing;
        try {
            Command.of("no-such-program-parx").exec();
            throw new IllegalStateException("a missing program started");
        } catch (CommandStartException e) {
            missing = e.getClass().getSimpleName();
            report.line("no-such-program     -> %s: %s", missing, e.getMessage());
        }
        return new Result(uname.stdoutTrimmed(), uname.exitCode(), failedExit, failedStderr, missing);
    }
}
