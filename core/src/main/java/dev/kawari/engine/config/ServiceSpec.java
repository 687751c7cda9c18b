package dev.kawari.engine.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated {@code kawari.services.<name>} block: its resources (an acyclic dependency graph) and
 * monitors, in file order, and how it moves between nodes.
 */
public record ServiceSpec(String name, List<ResourceSpec> resources, List<MonitorSpec> monitors, FailoverPolicy policy) {
    public ServiceSpec {
        Objects.requireNonNull(name, "name");
        resources = List.copyOf(resources);
        monitors = List.copyOf(monitors);
        Objects.requireNonNull(policy, "policy");
    }

    /** A service with the default failover policy. */
    public ServiceSpec(String name, List<ResourceSpec> resources, List<MonitorSpec> monitors) {
        this(name, resources, monitors, FailoverPolicy.DEFAULT);
    }

    public Optional<ResourceSpec> resource(String id) {
        return resources.stream().filter(r -> r.id().equals(id)).findFirst();
    }
}
