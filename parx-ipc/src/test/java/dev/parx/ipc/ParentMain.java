package dev.parx.ipc;

import static org.awaitility.Awaitility.await;

import dev.parx.testkit.tasks.SleepUntilCancelledTask;
import java.time.Duration;

/** A parent JVM for {@link ParentDeathTest}: two child JVMs, one running a task; prints their pids, then waits. */
public final class ParentMain {

    private ParentMain() {
    }

    /**
     * Runs the parent.
     *
     * @param args none
     * @throws Exception never expected
     */
    public static void main(String[] args) throws Exception {
        JvmPool pool = JvmPool.builder().name("orphans").workers(2).prestart(2).build();
        pool.submit(SleepUntilCancelledTask.class, 600_000L);
        await().atMost(Duration.ofSeconds(60)).until(() -> Children.childJvms().size() == 2);
        for (ProcessHandle child : Children.childJvms()) {
            System.out.println("CHILD " + child.pid());
        }
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(600_000);    // until killed
    }
}
