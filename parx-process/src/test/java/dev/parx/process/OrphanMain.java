package dev.parx.process;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM for {@link JvmDeathTest}: starts commands, prints their pids (and those of the
 * background processes they start), prints READY, and waits to be killed.
 */
public final class OrphanMain {

    private OrphanMain() {
    }

    /**
     * Runs the child.
     *
     * @param args {@code detached} to start the commands detached
     * @throws Exception never expected
     */
    public static void main(String[] args) throws Exception {
        boolean detached = args.length > 0 && args[0].equals("detached");
        // Programs by absolute path: the test runs this JVM with PATH empty, too.
        Command sleeper = Command.of("/bin/sleep", "300");
        Command shell = Command.shell("/bin/sleep 300 & echo $!; /bin/sleep 300 & echo $!; wait");
        if (detached) {
            sleeper = sleeper.detached();
            shell = shell.detached();
        }
        RunningCommand plain = sleeper.spawn();
        System.out.println(plain.pid());
        CountDownLatch childPids = new CountDownLatch(2);
        RunningCommand tree = shell.stdout(Output.lines(line -> {
            System.out.println(line);
            childPids.countDown();
        })).spawn();
        System.out.println(tree.pid());
        // Started from a pool-like thread that then ends: the commands must not care.
        Thread starter = Thread.ofPlatform().start(() -> System.out.println(Command.of("/bin/sleep", "301")
                .spawn().pid()));
        starter.join();
        if (!childPids.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the shell did not print its children's pids");
        }
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(Duration.ofMinutes(5));   // a bounded life: the test kills this JVM long before
    }
}
