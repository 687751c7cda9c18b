package dev.kawari.engine.cluster;

import java.util.List;
import java.util.Map;

/**
 * What one node knows of the cluster, for {@code kawari status}: every node's liveness as this node
 * observes it, and every service's lease and local state.
 *
 * @param node the node that answered
 * @param coordinator where the leases are kept
 * @param nodes every configured node
 * @param services every service
 */
public record ClusterStatus(String node, String coordinator, List<NodeStatus> nodes, List<ServiceStatus> services) {
    public ClusterStatus {
        nodes = List.copyOf(nodes);
        services = List.copyOf(services);
    }

    /**
     * @param name the node
     * @param alive its heartbeat changed within the last lease duration plus margin (this node: true)
     * @param undecided too early to tell: this node has not yet watched it for that long and has not
     *     seen its heartbeat change (just after this agent started)
     * @param lastHeartbeatMillisAgo when its heartbeat last changed, as seen here; -1 if never seen
     * @param priority its node priority
     */
    public record NodeStatus(String name, boolean alive, boolean undecided, long lastHeartbeatMillisAgo, int priority) {
    }

    /**
     * @param name the service
     * @param holder the node in service by the lease, or empty
     * @param epoch the lease epoch
     * @param maintenance maintenance mode
     * @param successor a pending or granted hand-over target, or empty
     * @param role this node's part: active, leaving, fencing, standby
     * @param state the service's state on this node
     * @param resources each resource's state on this node
     * @param lastEvents the latest events of the service on this node, oldest first, one line each
     */
    public record ServiceStatus(String name, String holder, long epoch, boolean maintenance, String successor,
            String role, String state, Map<String, String> resources, List<String> lastEvents) {
        public ServiceStatus {
            resources = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(resources));
            lastEvents = List.copyOf(lastEvents);
        }
    }
}
