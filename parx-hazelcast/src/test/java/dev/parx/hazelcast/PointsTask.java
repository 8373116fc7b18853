package dev.parx.hazelcast;

import dev.parx.Task;
import dev.parx.TaskContext;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Names each input point; proves that generic record types survive the trip both ways. */
public final class PointsTask implements Task<List<PointsTask.Point>, Map<String, PointsTask.Point>> {

    /**
     * A point.
     *
     * @param x its x
     * @param y its y
     */
    public record Point(int x, int y) {
    }

    /** Creates the task. */
    public PointsTask() {
    }

    @Override
    public Map<String, Point> run(List<Point> input, TaskContext context) {
        Map<String, Point> named = new TreeMap<>();
        for (int i = 0; i < input.size(); i++) {
            Point p = input.get(i);     // a ClassCastException here if the member decoded maps
            named.put("p" + i, new Point(p.x() * 2, p.y() * 2));
        }
        return named;
    }
}
