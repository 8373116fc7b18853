package dev.parx.ipc.tasks;

import dev.parx.Task;
import dev.parx.TaskContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Names each point of its input, and proves the input arrived as Points, not maps. */
public final class PointsTask implements Task<List<Point>, Map<String, Point>> {
    @Override
    public Map<String, Point> run(List<Point> input, TaskContext context) {
        Map<String, Point> named = new LinkedHashMap<>();
        for (int i = 0; i < input.size(); i++) {
            Point p = input.get(i);     // a ClassCastException here if the input were maps
            named.put("p" + i, new Point(p.x() * 10, p.y() * 10));
        }
        return named;
    }
}
