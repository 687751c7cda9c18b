package dev.kawari.spi.cluster;

import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A node's proof of life, rewritten every few seconds with a new {@link #version}. Readers judge
 * liveness by watching the version change on their own monotonic clock, never by comparing clocks.
 *
 * @param node the node's name
 * @param version changes with every beat
 * @param details small facts for {@code kawari status} (agent version, admin port); copied
 */
public record NodeHeartbeat(String node, String version, Map<String, String> details) {
    public NodeHeartbeat {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(version, "version");
        details = Map.copyOf(details);
    }

    /** A new beat of {@code node}. */
    public static NodeHeartbeat beat(String node, Map<String, String> details) {
        return new NodeHeartbeat(node, UUID.randomUUID().toString(), details);
    }
}
