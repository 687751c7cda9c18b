package dev.kawari.spi;

import com.typesafe.config.Config;
import java.util.Set;

/**
 * A kind of monitor, named in HOCON by {@link #id()}. Its keys are declared as for {@link
 * ResourceType}, under {@code kawari-kits.monitor-types.<id>} in the kit's {@code reference.conf}.
 */
public interface MonitorType {

    /** Kebab-case id, unique among monitor types, used as {@code type = <id>} in HOCON. */
    String id();

    /** One line for {@code kawari kits}. */
    default String description() {
        return "";
    }

    /** As {@link ResourceType#create}: validates, reports problems, builds; touches nothing. */
    Monitor create(MonitorDefinition definition, KitContext context);

    /** As {@link ResourceType#secretKeys()}. */
    default Set<String> secretKeys() {
        return Set.of();
    }

    /** As {@link ResourceType#iamActions(Config)}. */
    default Set<String> iamActions(Config config) {
        return Set.of();
    }
}
