package dev.parx.process.internal;

import dev.parx.process.CommandStartException;
import dev.parx.process.Output;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns command settings into started processes: program lookup, a new session, environment,
 * redirects. Programs and directories of every stage are checked before anything starts; then
 * {@link NativeLaunch} starts the stages if this JVM can use {@link NativeSpawn}, and
 * {@link ProcessBuilder} with the {@code setsid} wrapper otherwise. Stateless and thread-safe.
 */
public final class Launcher {

    private Launcher() {
    }

    /**
     * Returns whether commands start with {@code posix_spawn} in this JVM; for tests.
     *
     * @return true if they do, false if through {@code ProcessBuilder} and {@code setsid}
     */
    public static boolean nativeSpawn() {
        return NativeSpawn.available();
    }

    /**
     * Starts every stage, connected stdout-to-stdin.
     *
     * @param stages the stages, one for a plain command
     * @param stdin the first stage's stdin
     * @return the processes, in stage order
     * @throws CommandStartException if a program or directory is unusable, the start failed, or no
     *     guardian can protect a command that is not detached
     */
    static List<Process> launch(List<Spec> stages, Input stdin) {
        if (!stages.getFirst().detached) {
            Guardian.ensureRunning(displayCommand(stages));
        }
        return launch(stages, stdin, false);
    }

    private static List<Process> launch(List<Spec> stages, Input stdin, boolean helper) {
        if (NativeSpawn.available()) {
            List<List<String>> argvs = new ArrayList<>(stages.size());
            for (Spec spec : stages) {
                List<String> argv = new ArrayList<>(spec.command);
                argv.set(0, Programs.resolve(spec));
                argvs.add(argv);
            }
            return NativeLaunch.launch(stages, argvs, stdin, displayCommand(stages), helper);
        }
        List<ProcessBuilder> builders = new ArrayList<>(stages.size());
        for (Spec spec : stages) {
            builders.add(builder(spec));
        }
        if (stdin instanceof Input.FromFile(var file)) {
            builders.getFirst().redirectInput(file.toFile());
        }
        if (stages.getLast().stdout instanceof Output.Discard) {
            builders.getLast().redirectOutput(ProcessBuilder.Redirect.DISCARD);
        }
        try {
            return builders.size() == 1 ? List.of(builders.getFirst().start())
                    : ProcessBuilder.startPipeline(builders);
        } catch (IOException e) {
            throw new CommandStartException(displayCommand(stages), e.getMessage(), e);
        }
    }

    private static ProcessBuilder builder(Spec spec) {
        List<String> argv = new ArrayList<>(spec.command);
        argv.set(0, Programs.resolve(spec));
        // The JDK would turn what the locale's charset cannot encode into '?': refuse instead.
        for (String argument : argv) {
            Encodings.checkEncodable(Encodings.jnu(), argument, "argument", spec.command);
        }
        spec.envChanges.forEach((name, value) -> {
            if (value != null) {
                Encodings.checkEncodable(Encodings.jnu(), name + "=" + value, "environment variable", spec.command);
            }
        });
        ProcessBuilder builder = new ProcessBuilder(ProcessTrees.wrap(argv));
        if (spec.directory != null) {
            builder.directory(spec.directory.toFile());
        }
        if (!spec.inheritEnv || !spec.envChanges.isEmpty()) {
            var environment = builder.environment();
            if (!spec.inheritEnv) {
                environment.clear();
            }
            spec.envChanges.forEach((name, value) -> {
                if (value == null) {
                    environment.remove(name);
                } else {
                    environment.put(name, value);
                }
            });
        }
        if (spec.mergeStderr) {
            builder.redirectErrorStream(true);
        } else if (spec.stderr instanceof Output.Discard) {
            builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        }
        return builder;
    }

    /**
     * Starts a helper program in a session of its own, with stdin a pipe from this JVM and its
     * output discarded: the guardian.
     *
     * @param argv the program, an absolute path, and its arguments
     * @param removedVariables variables of this JVM's environment that the helper must not see
     * @return the process
     * @throws IOException if it cannot start
     */
    static Process startHelper(List<String> argv, List<String> removedVariables) throws IOException {
        if (NativeSpawn.available()) {
            Spec spec = new Spec(argv);
            spec.stdout = Output.discard();
            spec.stderr = Output.discard();
            removedVariables.forEach(name -> spec.envChanges.put(name, null));
            try {
                return launch(List.of(spec), new Input.Pipe(), true).getFirst();
            } catch (RuntimeException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
        ProcessBuilder builder = new ProcessBuilder(ProcessTrees.wrap(argv))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        removedVariables.forEach(builder.environment()::remove);
        return builder.start();
    }

    /**
     * Returns the command as users wrote it: a pipeline's stages joined by {@code |}.
     *
     * @param stages the stages
     * @return the command
     */
    static List<String> displayCommand(List<Spec> stages) {
        if (stages.size() == 1) {
            return stages.getFirst().command;
        }
        List<String> all = new ArrayList<>();
        for (Spec spec : stages) {
            if (!all.isEmpty()) {
                all.add("|");
            }
            all.addAll(spec.command);
        }
        return List.copyOf(all);
    }
}
