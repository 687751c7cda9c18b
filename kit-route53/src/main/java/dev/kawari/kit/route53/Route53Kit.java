package dev.kawari.kit.route53;

import dev.kawari.aws.InstanceMetadata;
import dev.kawari.spi.MonitorType;
import dev.kawari.spi.RecoveryKit;
import dev.kawari.spi.ResourceType;
import java.util.List;

/** The Route 53 kit: resource and monitor type {@code route53}. */
public final class Route53Kit implements RecoveryKit {
    private final Route53ResourceType resources;
    private final Route53MonitorType monitors = new Route53MonitorType();

    /** The kit as {@link java.util.ServiceLoader} builds it: IMDSv2 as the environment says. */
    public Route53Kit() {
        this(new Route53ResourceType(InstanceMetadata.fromEnvironment()));
    }

    Route53Kit(Route53ResourceType resources) {
        this.resources = resources;
    }

    @Override
    public String name() {
        return "route53";
    }

    @Override
    public List<ResourceType> resourceTypes() {
        return List.of(resources);
    }

    @Override
    public List<MonitorType> monitorTypes() {
        return List.of(monitors);
    }
}
