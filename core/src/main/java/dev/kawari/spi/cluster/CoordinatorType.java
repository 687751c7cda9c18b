package dev.kawari.spi.cluster;

import com.typesafe.config.Config;
import dev.kawari.spi.KitContext;

/**
 * The ServiceLoader entry of a coordinator jar: one {@code kawari.coordinator.type}. Needs a public
 * no-argument constructor that does nothing expensive.
 */
public interface CoordinatorType {

    /** The value of {@code kawari.coordinator.type} ({@code dynamodb}, {@code embedded}). */
    String id();

    /**
     * Validates the type's own keys of the {@code kawari.coordinator} block (the engine's keys, such
     * as {@code lease-duration}, are removed; the declared defaults merged in) and builds the
     * coordinator without touching the world. Problems go to {@code context} (located as
     * {@code FILE:LINE:}); return null after reporting one.
     */
    Coordinator create(Config block, KitContext context);
}
