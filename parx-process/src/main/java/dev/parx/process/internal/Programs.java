package dev.parx.process.internal;

import dev.parx.process.CommandStartException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Finds a command's program the way a shell would, before anything is started, so that a typo
 * gives an exception that says what is wrong rather than a bare {@code error=2}. The program is
 * resolved here (not by the {@code setsid} wrapper), which is also what lets a missing program fail
 * before any process exists.
 */
final class Programs {

    private Programs() {
    }

    /**
     * Checks the working directory and returns the absolute path of the program.
     *
     * @param spec the command
     * @return the program's absolute path
     * @throws CommandStartException if the program or the directory is unusable
     */
    static String resolve(Spec spec) {
        Path directory = spec.directory;
        if (directory != null) {
            if (!Files.exists(directory)) {
                throw new CommandStartException(spec.command, "working directory '" + directory + "' does not exist", null);
            }
            if (!Files.isDirectory(directory)) {
                throw new CommandStartException(spec.command, "working directory '" + directory + "' is not a directory", null);
            }
        }
        String program = spec.command.getFirst();
        if (program.isEmpty()) {
            throw new CommandStartException(spec.command, "the program name is empty", null);
        }
        try {
            if (program.indexOf('/') >= 0) {
                Path path = Path.of(program);
                if (!path.isAbsolute()) {
                    path = (directory != null ? directory : Path.of("")).toAbsolutePath().resolve(path);
                }
                String problem = problem(path);
                if (problem != null) {
                    throw new CommandStartException(spec.command, "program '" + program + "' " + problem, null);
                }
                return path.toString();
            }
            String searchPath = pathVariable(spec);
            String firstProblem = null;
            for (String entry : searchPath.split(File.pathSeparator, -1)) {
                Path candidate = Path.of(entry.isEmpty() ? "." : entry).resolve(program);
                String problem = problem(candidate);
                if (problem == null) {
                    return candidate.toAbsolutePath().toString();
                }
                if (firstProblem == null && Files.exists(candidate)) {
                    firstProblem = "program '" + candidate + "' " + problem;
                }
            }
            throw new CommandStartException(spec.command, firstProblem != null ? firstProblem
                    : "program '" + program + "' not found on PATH (" + searchPath + ")", null);
        } catch (InvalidPathException e) {
            throw new CommandStartException(spec.command, "program '" + program + "' is not a valid path", e);
        }
    }

    private static String problem(Path path) {
        if (!Files.exists(path)) {
            return "does not exist";
        }
        if (Files.isDirectory(path)) {
            return "is a directory";
        }
        if (!Files.isExecutable(path)) {
            return "is not executable";
        }
        return null;
    }

    private static String pathVariable(Spec spec) {
        Map<String, String> changes = spec.envChanges;
        if (changes.containsKey("PATH")) {
            String value = changes.get("PATH");
            return value != null ? value : "";
        }
        String inherited = spec.inheritEnv ? System.getenv("PATH") : null;
        // An empty environment still needs somewhere to look: the POSIX default path.
        return inherited != null ? inherited : "/usr/bin:/bin";
    }
}
