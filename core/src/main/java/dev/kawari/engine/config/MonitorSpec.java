package dev.kawari.engine.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.kawari.spi.Monitor;
import java.time.Duration;
import java.util.Objects;

/**
 * A validated {@code kawari.services.<service>.monitors.<id>} block with the instance its type built.
 *
 * @param id unique within the service
 * @param type the monitor type id
 * @param target the id of the watched resource, in the same service
 * @param interval time between the end of one check and the start of the next
 * @param timeout how long one check may run before it counts as Unhealthy
 * @param failureThreshold consecutive Unhealthy results that trigger recovery (at least 1)
 * @param maxLocalRecoveries local recoveries allowed within {@code recoveryWindow} before the
 *     service is failed over (0 = fail over at once)
 * @param recoveryWindow the sliding window for {@code maxLocalRecoveries}
 * @param instance built by the type's {@code create}
 * @param location {@code FILE:LINE} of the block, for messages
 * @param config the kit's view of the block (defaults merged, engine keys removed)
 */
public record MonitorSpec(
        String id,
        String type,
        String target,
        Duration interval,
        Duration timeout,
        int failureThreshold,
        int maxLocalRecoveries,
        Duration recoveryWindow,
        Monitor instance,
        String location,
        Config config) {

    /** A monitor built in code rather than read from a file (tests, embedding applications). */
    public MonitorSpec(String id, String type, String target, Duration interval, Duration timeout, int failureThreshold,
            int maxLocalRecoveries, Duration recoveryWindow, Monitor instance, String location) {
        this(id, type, target, interval, timeout, failureThreshold, maxLocalRecoveries, recoveryWindow, instance,
                location, ConfigFactory.empty());
    }

    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_FAILURE_THRESHOLD = 3;
    public static final int DEFAULT_MAX_LOCAL_RECOVERIES = 3;
    public static final Duration DEFAULT_RECOVERY_WINDOW = Duration.ofHours(1);

    public MonitorSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(recoveryWindow, "recoveryWindow");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(config, "config");
        if (failureThreshold < 1 || maxLocalRecoveries < 0) {
            throw new IllegalArgumentException("failureThreshold >= 1 and maxLocalRecoveries >= 0 required");
        }
    }
}
