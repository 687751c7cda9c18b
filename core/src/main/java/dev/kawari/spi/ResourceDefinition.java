package dev.kawari.spi;

import com.typesafe.config.Config;
import java.util.Objects;

/**
 * One {@code kawari.services.<service>.resources.<id>} block, as a kit sees it.
 *
 * @param service the service name
 * @param id the resource id, unique within the service
 * @param type the resource type id
 * @param config the kit's keys of the block, with the type's {@code reference.conf} defaults merged
 *     in; the engine's own keys ({@code type}, {@code depends-on}) are removed
 */
public record ResourceDefinition(String service, String id, String type, Config config) {
    public ResourceDefinition {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(config, "config");
    }
}
