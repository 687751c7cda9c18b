package dev.kawari.spi;

import java.util.List;

/**
 * The entry point of a kit jar, found by {@link java.util.ServiceLoader}: list the implementation
 * in {@code META-INF/services/dev.kawari.spi.RecoveryKit}. It needs a public no-argument
 * constructor and should do nothing expensive in it.
 */
public interface RecoveryKit {

    /** Short name of the kit, for {@code kawari kits} and error messages. */
    String name();

    default List<ResourceType> resourceTypes() {
        return List.of();
    }

    default List<MonitorType> monitorTypes() {
        return List.of();
    }
}
