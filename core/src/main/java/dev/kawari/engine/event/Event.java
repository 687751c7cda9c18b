package dev.kawari.engine.event;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One immutable fact: a transition or an action, with when it happened and how long it took.
 * Failover timelines are measured from these.
 *
 * @param time wall-clock time, for people
 * @param monotonicNanos the engine's monotonic clock, for measuring durations between events
 * @param cluster the cluster name
 * @param node the node that recorded the event
 * @param service the service, or empty for node-wide events
 * @param subject the resource or monitor id, or empty for service-wide events
 * @param epoch the lease epoch the service ran under (0 without a coordinator)
 * @param kind what happened
 * @param outcome a short word: a state name, {@code ok}, {@code failed}, {@code healthy}, …
 * @param duration how long the action took, if the event closes one
 * @param message one line for people
 * @param details extra string values (error code, command output); copied
 */
public record Event(
        Instant time,
        long monotonicNanos,
        String cluster,
        String node,
        String service,
        String subject,
        long epoch,
        EventKind kind,
        String outcome,
        Optional<Duration> duration,
        String message,
        Map<String, String> details) {

    public Event {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(message, "message");
        details = Map.copyOf(details);
    }

    /** {@code service/subject}, {@code service}, or empty. */
    public String where() {
        if (subject.isEmpty()) {
            return service;
        }
        return service.isEmpty() ? subject : service + "/" + subject;
    }
}
