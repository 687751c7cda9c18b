package dev.kawari.spi;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Who "this node" is: its name in the configuration and the attributes the configuration (or, for
 * AWS, instance metadata) gives it, such as {@code instance-id}, {@code region}, {@code eni} and
 * {@code interface}.
 *
 * @param name the node's key under {@code kawari.nodes}
 * @param attributes attribute name to value; copied
 */
public record NodeIdentity(String name, Map<String, String> attributes) {
    public NodeIdentity {
        Objects.requireNonNull(name, "name");
        attributes = Map.copyOf(attributes);
    }

    public static NodeIdentity named(String name) {
        return new NodeIdentity(name, Map.of());
    }

    public Optional<String> attribute(String key) {
        return Optional.ofNullable(attributes.get(key));
    }
}
