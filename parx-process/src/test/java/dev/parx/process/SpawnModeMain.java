package dev.parx.process;

import dev.parx.process.internal.Launcher;

/**
 * A child JVM for {@link SpawnModeTest}: prints how it starts commands ({@code native} or
 * {@code jdk}), then the signal state a command of it starts with.
 */
public final class SpawnModeMain {

    private SpawnModeMain() {
    }

    /**
     * Runs the child.
     *
     * @param args none
     */
    public static void main(String[] args) {
        System.out.println(Launcher.nativeSpawn() ? "native" : "jdk");
        System.out.print(Command.of("grep", "-E", "^Sig(Blk|Ign):", "/proc/self/status").exec().stdout());
    }
}
