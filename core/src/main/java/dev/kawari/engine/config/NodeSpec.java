package dev.kawari.engine.config;

import dev.kawari.spi.NodeIdentity;
import java.util.Objects;

/**
 * A {@code kawari.nodes.<name>} block.
 *
 * @param identity name and attributes ({@code instance-id}, {@code region}, {@code eni}, {@code interface})
 * @param priority lower is preferred; {@link #DEFAULT_PRIORITY} when not configured
 */
public record NodeSpec(NodeIdentity identity, int priority) {
    public static final int DEFAULT_PRIORITY = 100;

    public NodeSpec {
        Objects.requireNonNull(identity, "identity");
    }

    public String name() {
        return identity.name();
    }
}
