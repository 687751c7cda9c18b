package dev.kawari.engine.config;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How a service moves between nodes: the cluster keys of a {@code kawari.services.<name>} block.
 *
 * @param switchback {@code intelligent} (stay where it is) or {@code automatic} (hand back to a
 *     node of better priority once it has been alive for {@code switchbackAfter})
 * @param switchbackAfter how long a better node must have been alive before an automatic switchback
 * @param coolDown after this node gave the service up on a failover request, it does not take it
 *     again for this long
 * @param maxFailovers failover requests this node honours in {@code failoverWindow}; past that the
 *     service is left FAILED here (the final action)
 * @param failoverWindow the sliding window of {@code maxFailovers}
 * @param priorities per-node priority for this service (lower is preferred), overriding the node's own
 */
public record FailoverPolicy(Switchback switchback, Duration switchbackAfter, Duration coolDown, int maxFailovers,
        Duration failoverWindow, Map<String, Integer> priorities) {

    public enum Switchback {
        INTELLIGENT,
        AUTOMATIC
    }

    public static final FailoverPolicy DEFAULT = new FailoverPolicy(Switchback.INTELLIGENT, Duration.ofSeconds(30),
            Duration.ofMinutes(1), 3, Duration.ofHours(1), Map.of());

    public FailoverPolicy {
        Objects.requireNonNull(switchback, "switchback");
        Objects.requireNonNull(switchbackAfter, "switchbackAfter");
        Objects.requireNonNull(coolDown, "coolDown");
        Objects.requireNonNull(failoverWindow, "failoverWindow");
        priorities = Map.copyOf(priorities);
    }

    public Optional<Integer> priority(String node) {
        return Optional.ofNullable(priorities.get(node));
    }
}
