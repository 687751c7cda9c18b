package dev.kawari.spi;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Map;

/**
 * What a {@link ResourceType} or {@link MonitorType} may use while it validates a configuration
 * block and builds an instance.
 */
public interface KitContext {

    /** The cluster's name ({@code kawari.cluster}). */
    String cluster();

    /** Every node of the cluster, by name. */
    Map<String, NodeIdentity> nodes();

    /**
     * Reports a problem with the block being validated. The engine turns it into a
     * {@code FILE:LINE: message} line pointing at {@code key} (or at the block when the key is
     * absent) and collects every problem before reporting; a type keeps validating after a problem
     * so that the operator sees them all at once.
     *
     * @param key the offending key, relative to the block, in HOCON path syntax ({@code timeouts.start})
     * @param message what is wrong and, where possible, how to fix it; printed as it is after
     *     {@code FILE:LINE:}, so it names the key ("'start' must be an argument vector …")
     */
    void problem(String key, String message);

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
