package dev.kawari.engine.event;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes events to SLF4J under the logger {@code dev.kawari.events}: failures at WARN, transitions
 * and actions at INFO, kit notes at DEBUG.
 */
public final class Slf4jEventLog implements EventListener {
    private static final Logger LOG = LoggerFactory.getLogger("dev.kawari.events");

    @Override
    public void onEvent(Event event) {
        String duration = event.duration().map(d -> " in " + d.toMillis() + " ms").orElse("");
        switch (level(event)) {
            case WARN -> LOG.warn("{} {} {}{}: {}", event.where(), event.kind(), event.outcome(), duration, event.message());
            case INFO -> LOG.info("{} {} {}{}: {}", event.where(), event.kind(), event.outcome(), duration, event.message());
            case DEBUG -> LOG.debug("{} {} {}{}: {} {}", event.where(), event.kind(), event.outcome(), duration,
                    event.message(), event.details());
        }
    }

    private enum Level { WARN, INFO, DEBUG }

    private static Level level(Event event) {
        return switch (event.kind()) {
            case NOTE -> Level.DEBUG;
            case LEASE -> switch (event.outcome()) {
                case "renewed", "watching" -> Level.DEBUG;
                case "lost", "fenced", "unreachable" -> Level.WARN;
                default -> Level.INFO;
            };
            case ADMIN -> Level.INFO;
            case MONITOR_FAILED, FAILOVER_REQUESTED -> Level.WARN;
            case ACTION, RESOURCE_STATE, SERVICE_STATE, CHECK, RECOVERY ->
                    isBad(event.outcome()) ? Level.WARN : Level.INFO;
        };
    }

    private static boolean isBad(String outcome) {
        return outcome.equals("failed") || outcome.equals("FAILED") || outcome.equals("unhealthy")
                || outcome.equals("timed-out");
    }
}
