package dev.kawari.engine.event;

import dev.kawari.spi.EventSink;
import dev.kawari.spi.TimeSource;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.ToLongFunction;

/** Stamps events with the node's identity, the time and the service's epoch, and publishes them. */
public final class EventRecorder {
    private final EventBus bus;
    private final TimeSource time;
    private final String cluster;
    private final String node;
    private final ToLongFunction<String> epochOfService;

    public EventRecorder(EventBus bus, TimeSource time, String cluster, String node, ToLongFunction<String> epochOfService) {
        this.bus = Objects.requireNonNull(bus, "bus");
        this.time = Objects.requireNonNull(time, "time");
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.node = Objects.requireNonNull(node, "node");
        this.epochOfService = Objects.requireNonNull(epochOfService, "epochOfService");
    }

    public void record(EventKind kind, String service, String subject, String outcome, String message) {
        record(kind, service, subject, outcome, null, message, Map.of());
    }

    public void record(EventKind kind, String service, String subject, String outcome, Duration duration,
            String message, Map<String, String> details) {
        bus.publish(new Event(time.now(), time.nanoTime(), cluster, node, service, subject,
                epochOfService.applyAsLong(service), kind, outcome, Optional.ofNullable(duration), message, details));
    }

    /** The sink handed to kits acting on {@code service/subject}: their notes become NOTE events. */
    public EventSink sinkFor(String service, String subject) {
        return (message, details) -> record(EventKind.NOTE, service, subject, "note", null, message, details);
    }

    public long epoch(String service) {
        return epochOfService.applyAsLong(service);
    }
}
