package dev.parx.ipc.tasks;

import dev.parx.Task;
import dev.parx.TaskContext;
import dev.parx.ipc.JsonChannel;

/** Receives as many Points as its input says through a JsonChannel and sends each back times ten. */
public final class ScaleTask implements Task<Integer, Integer> {
    @Override
    public Integer run(Integer count, TaskContext context) throws Exception {
        try (JsonChannel<Point> points = JsonChannel.toSubmitter(context, Point.class)) {
            for (int i = 0; i < count; i++) {
                Point p = points.receive();
                points.send(new Point(p.x() * 10, p.y() * 10));
            }
        }
        return count;
    }
}
