package dev.kawari.engine.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dependency cycles among the resources of one service.
 *
 * <p>A depth-first walk reports one cycle per back edge it meets, so that breaking every reported
 * cycle leaves the graph acyclic and the operator sees them all in one run. Each cycle is rotated
 * to start at its resource written first, which makes the report stable whatever order the walk
 * took.
 */
final class DependencyCycles {
    private enum Mark { IN_PROGRESS, DONE }

    private final Map<String, List<String>> dependsOn;
    private final List<String> order;
    private final Map<String, Mark> marks = new HashMap<>();
    private final List<String> path = new ArrayList<>();
    private final Set<List<String>> cycles = new LinkedHashSet<>();

    private DependencyCycles(Map<String, List<String>> dependsOn) {
        this.dependsOn = dependsOn;
        this.order = List.copyOf(dependsOn.keySet());
    }

    /**
     * @param dependsOn each resource's dependencies, resources in file order; ids that are not keys
     *     (unknown resources, reported elsewhere) are ignored
     * @return each cycle as the resources along it, starting with the one written first and not
     *     repeating it at the end ({@code [a, b, c]} for a -> b -> c -> a); a self-dependency is a
     *     cycle of one
     */
    static List<List<String>> in(Map<String, List<String>> dependsOn) {
        DependencyCycles search = new DependencyCycles(dependsOn);
        for (String resource : search.order) {
            if (!search.marks.containsKey(resource)) {
                search.visit(resource);
            }
        }
        return List.copyOf(search.cycles);
    }

    private void visit(String resource) {
        marks.put(resource, Mark.IN_PROGRESS);
        path.add(resource);
        for (String dependency : dependsOn.get(resource)) {
            if (!dependsOn.containsKey(dependency)) {
                continue;
            }
            Mark mark = marks.get(dependency);
            if (mark == null) {
                visit(dependency);
            } else if (mark == Mark.IN_PROGRESS) {
                cycles.add(startingAtFirstWritten(path.subList(path.indexOf(dependency), path.size())));
            }
        }
        path.remove(path.size() - 1);
        marks.put(resource, Mark.DONE);
    }

    private List<String> startingAtFirstWritten(List<String> cycle) {
        int start = 0;
        for (int i = 1; i < cycle.size(); i++) {
            if (order.indexOf(cycle.get(i)) < order.indexOf(cycle.get(start))) {
                start = i;
            }
        }
        List<String> rotated = new ArrayList<>(cycle.subList(start, cycle.size()));
        rotated.addAll(cycle.subList(0, start));
        return List.copyOf(rotated);
    }
}
