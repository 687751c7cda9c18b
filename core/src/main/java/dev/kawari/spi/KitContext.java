package dev.kawari.spi;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Map;

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
}
