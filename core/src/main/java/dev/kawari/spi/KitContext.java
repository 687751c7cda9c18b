package dev.kawari.spi;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@link ResourceType} or {@link MonitorType} may use while it validates a configuration
 * block and builds an instance.
 */
public interface KitContext extends ProblemReporter {

    /** The cluster's name ({@code kawari.cluster}). */
    String cluster();

    /** Every node of the cluster, by name. */
    Map<String, NodeIdentity> nodes();


    /**
     * A top-level section of the configuration that a kit declared under
     * {@code kawari-kits.sections.<name>} in its {@code reference.conf} (for example {@code aws}),
     * with the declared defaults merged in; empty if no kit declares it. The engine has already
     * rejected unknown keys in it.
     */
    default Config section(String name) {
        return ConfigFactory.empty();
    }

    /**
     * For a monitor's block: the instance built for resource {@code id} of the same service (usually
     * the monitor's {@code target}), so that a kit's monitor type can watch a resource of its own kit
     * without repeating the resource's keys. Empty for resource blocks, for an id the service does not
     * have, and for a resource whose own block was invalid. A monitor type checks that the instance is
     * of its own kit's class and reports a problem on {@code target} otherwise.
     */
    default Optional<Resource> resource(String id) {
        return Optional.empty();
    }
}
