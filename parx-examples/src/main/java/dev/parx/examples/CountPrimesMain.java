package dev.parx.examples;

/**
 * A command-line program that prints how many primes lie in {@code [from, to)}: the command that
 * {@link CountPrimesCommand} runs, one process per chunk.
 *
 * <pre>{@code
 * java -cp parx-examples/target/classes:... dev.parx.examples.CountPrimesMain 0 1000000    # prints 78498
 * }</pre>
 */
public final class CountPrimesMain {

    private CountPrimesMain() {
    }

    /**
     * Counts and prints.
     *
     * @param args {@code from} and {@code to}
     */
    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: CountPrimesMain <from> <to>");
            System.exit(2);
        }
        System.out.println(CountPrimesTask.count(new Range(Long.parseLong(args[0]), Long.parseLong(args[1]))));
    }
}
