package dev.parx.process.internal;

import dev.parx.process.CommandStartException;
import dev.parx.process.Output;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Turns command settings into started processes: program lookup, setsid, environment, redirects. */
final class Launcher {

    private Launcher() {
    }

    /**
     * Starts every stage, connected stdout-to-stdin.
     *
     * @param stages the stages, one for a plain command
     * @param stdin the first stage's stdin
     * @return the processes, in stage order
     * @throws CommandStartException if a program or directory is unusable or the start failed
     */
    static List<Process> launch(List<Spec> stages, Input stdin) {
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
