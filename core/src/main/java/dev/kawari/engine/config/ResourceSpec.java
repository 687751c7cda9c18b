package dev.kawari.engine.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.kawari.spi.Resource;
import java.util.List;
import java.util.Objects;

/**
 * A validated {@code kawari.services.<service>.resources.<id>} block with the instance its type built.
 *
 * @param id unique within the service
 * @param type the resource type id
 * @param dependsOn ids of resources in the same service that must be in service first; copied
 * @param instance built by the type's {@code create}
 * @param location {@code FILE:LINE} of the block, for messages
 * @param config the kit's view of the block (defaults merged, engine keys removed), for {@code
 *     ResourceType.iamActions}
 */
public record ResourceSpec(
        String id, String type, List<String> dependsOn, Resource instance, String location, Config config) {

    /** A resource built in code rather than read from a file (tests, embedding applications). */
    public ResourceSpec(String id, String type, List<String> dependsOn, Resource instance, String location) {
        this(id, type, dependsOn, instance, location, ConfigFactory.empty());
    }

    public ResourceSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        dependsOn = List.copyOf(dependsOn);
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(config, "config");
    }
}
