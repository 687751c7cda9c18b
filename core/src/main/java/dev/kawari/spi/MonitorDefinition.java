package dev.kawari.spi;

import com.typesafe.config.Config;
import java.util.Objects;

/**
 * One {@code kawari.services.<service>.monitors.<id>} block, as a kit sees it.
 *
 * @param service the service name
 * @param id the monitor id, unique within the service
 * @param type the monitor type id
 * @param target the id of the resource this monitor watches
 * @param config the kit's keys of the block, with the type's {@code reference.conf} defaults merged
 *     in; the engine's keys ({@code type}, {@code target}, {@code interval}, {@code timeout},
 *     {@code failure-threshold}, {@code max-local-recoveries}, {@code recovery-window}) are removed
 */
public record MonitorDefinition(String service, String id, String type, String target, Config config) {
    public MonitorDefinition {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(config, "config");
    }
}
