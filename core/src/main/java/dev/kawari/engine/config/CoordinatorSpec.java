package dev.kawari.engine.config;

import dev.kawari.spi.cluster.Coordinator;
import java.time.Duration;
import java.util.Objects;

/**
 * A validated {@code kawari.coordinator} block.
 *
 * @param type the coordinator type id
 * @param leaseDuration how long a lease lasts without renewal
 * @param safetyMargin the holder removes its services once it has not renewed for
 *     {@code leaseDuration - safetyMargin}; the margin is the time the removal may take
 * @param renewInterval how often the holder renews
 * @param pollInterval how often standbys read the lease
 * @param takeoverMargin added to the lease duration before a contender takes over a lease whose
 *     version it watched stay unchanged
 * @param instance the coordinator the type built (touches nothing until used)
 * @param location where the block was written, {@code FILE:LINE}
 */
public record CoordinatorSpec(String type, Duration leaseDuration, Duration safetyMargin, Duration renewInterval,
        Duration pollInterval, Duration takeoverMargin, Coordinator instance, String location) {
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(10);
    public static final Duration DEFAULT_SAFETY_MARGIN = Duration.ofSeconds(3);
    public static final Duration DEFAULT_RENEW = Duration.ofSeconds(2);
    public static final Duration DEFAULT_POLL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_TAKEOVER_MARGIN = Duration.ofSeconds(1);

    public CoordinatorSpec {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(leaseDuration, "leaseDuration");
        Objects.requireNonNull(safetyMargin, "safetyMargin");
        Objects.requireNonNull(renewInterval, "renewInterval");
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(takeoverMargin, "takeoverMargin");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(location, "location");
    }

    /** The holder's renewal budget: after this long without a successful renewal it fences itself. */
    public Duration fenceAfter() {
        return leaseDuration.minus(safetyMargin);
    }

    /** How long a contender watches an unchanged version before it takes over. */
    public Duration takeoverAfter() {
        return leaseDuration.plus(takeoverMargin);
    }
}
