package dev.kawari.agent;

import dev.kawari.engine.config.MonitorSpec;
import dev.kawari.engine.config.ResourceSpec;
import dev.kawari.engine.config.ServiceSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** One line describing a service: counts, restore order by level, monitors. */
final class ServiceSummary {
    private ServiceSummary() {
    }

    static String of(ServiceSpec service) {
        return "service " + service.name() + ": " + service.resources().size() + " resource(s), "
                + service.monitors().size() + " monitor(s); restore order " + levels(service)
                + (service.monitors().isEmpty() ? "" : "; monitors " + service.monitors().stream()
                        .map(m -> m.id() + "->" + m.target() + " every " + seconds(m))
                        .collect(Collectors.joining(", ")));
    }

    private static String seconds(MonitorSpec monitor) {
        return monitor.interval().toMillis() % 1000 == 0 ? monitor.interval().toSeconds() + "s"
                : monitor.interval().toMillis() + "ms";
    }

    /** Resources grouped by depth: {@code [disk, address] -> [database] -> [app]}. */
    private static String levels(ServiceSpec service) {
        Map<String, Integer> depth = new HashMap<>();
        Map<String, ResourceSpec> byId = new HashMap<>();
        service.resources().forEach(r -> byId.put(r.id(), r));
        List<List<String>> levels = new ArrayList<>();
        for (ResourceSpec resource : service.resources()) {
            int level = depthOf(resource, byId, depth);
            while (levels.size() <= level) {
                levels.add(new ArrayList<>());
            }
            levels.get(level).add(resource.id());
        }
        return levels.stream().map(Object::toString).collect(Collectors.joining(" -> "));
    }

    private static int depthOf(ResourceSpec resource, Map<String, ResourceSpec> byId, Map<String, Integer> depth) {
        Integer known = depth.get(resource.id());
        if (known != null) {
            return known;
        }
        int level = 0;
        for (String dependency : resource.dependsOn()) {
            level = Math.max(level, depthOf(byId.get(dependency), byId, depth) + 1);
        }
        depth.put(resource.id(), level);
        return level;
    }
}
