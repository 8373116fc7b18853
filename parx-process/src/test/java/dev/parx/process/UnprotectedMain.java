package dev.parx.process;

/**
 * A child JVM for {@link GuardianUnavailableTest}, run where no guardian can start: prints whether
 * an attached command ran or why it was refused, then whether a detached one ran.
 */
public final class UnprotectedMain {

    private UnprotectedMain() {
    }

    /**
     * Runs the child.
     *
     * @param args none
     */
    public static void main(String[] args) {
        for (int i = 0; i < 2; i++) {
            try {
                System.out.println("ran " + Command.of("/bin/true").exec().exitCode());
            } catch (CommandStartException e) {
                System.out.println("refused: " + e.getMessage());
            }
        }
        System.out.println("detached ran " + Command.of("/bin/true").detached().exec().exitCode());
    }
}
