package dev.kawari.engine.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A whole validated configuration. It owns the resource and monitor instances its kits built;
 * {@link #close()} releases them.
 *
 * @param source the file (or resource name) it was loaded from
 * @param cluster {@code kawari.cluster}
 * @param nodes {@code kawari.nodes}, in file order
 * @param services {@code kawari.services}, in file order
 * @param eventLog {@code kawari.event-log}: where to append JSON-lines events, if set
 * @param coordinator {@code kawari.coordinator}: without one, every node runs every service (single node)
 */
public record KawariConfig(String source, String cluster, List<NodeSpec> nodes, List<ServiceSpec> services,
        Optional<Path> eventLog, Optional<CoordinatorSpec> coordinator) implements AutoCloseable {

    public KawariConfig {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(cluster, "cluster");
        nodes = List.copyOf(nodes);
        services = List.copyOf(services);
        Objects.requireNonNull(eventLog, "eventLog");
        Objects.requireNonNull(coordinator, "coordinator");
    }

    /** A configuration without a coordinator. */
    public KawariConfig(String source, String cluster, List<NodeSpec> nodes, List<ServiceSpec> services,
            Optional<Path> eventLog) {
        this(source, cluster, nodes, services, eventLog, Optional.empty());
    }

    /** The same configuration with another event log (the command line's {@code --event-log}). */
    public KawariConfig withEventLog(Optional<Path> path) {
        return new KawariConfig(source, cluster, nodes, services, path, coordinator);
    }

    /**
     * The priority of {@code node} for {@code service} (lower is preferred): the service's
     * {@code priorities} entry, else the node's own {@code priority}.
     */
    public int priority(String service, String node) {
        Optional<Integer> own = service(service).flatMap(spec -> spec.policy().priority(node));
        return own.orElseGet(() -> node(node).map(NodeSpec::priority).orElse(NodeSpec.DEFAULT_PRIORITY));
    }

    public Optional<NodeSpec> node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
    }

    public Optional<ServiceSpec> service(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** Closes every resource and monitor instance; keeps going past failures and rethrows the first. */
    @Override
    public void close() {
        List<RuntimeException> failures = new ArrayList<>();
        coordinator.ifPresent(spec -> closeQuietly(spec.instance(), failures));
        for (ServiceSpec service : services) {
            for (MonitorSpec monitor : service.monitors()) {
                closeQuietly(monitor.instance(), failures);
            }
            for (ResourceSpec resource : service.resources()) {
                closeQuietly(resource.instance(), failures);
            }
        }
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0);
            failures.stream().skip(1).forEach(first::addSuppressed);
            throw first;
        }
    }

    private static void closeQuietly(AutoCloseable closeable, List<RuntimeException> failures) {
        try {
            closeable.close();
        } catch (RuntimeException e) {
            failures.add(e);
        } catch (Exception e) {
            failures.add(new IllegalStateException(e));
        }
    }
}
