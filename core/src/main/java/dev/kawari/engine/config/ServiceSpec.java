package dev.kawari.engine.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated {@code kawari.services.<name>} block: its resources (an acyclic dependency graph) and
 * monitors, in file order.
 */
public record ServiceSpec(String name, List<ResourceSpec> resources, List<MonitorSpec> monitors) {
    public ServiceSpec {
        Objects.requireNonNull(name, "name");
        resources = List.copyOf(resources);
        monitors = List.copyOf(monitors);
    }

    public Optional<ResourceSpec> resource(String id) {
        return resources.stream().filter(r -> r.id().equals(id)).findFirst();
    }
}
