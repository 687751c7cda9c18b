package dev.kawari.kit.routetable;

import dev.kawari.aws.InterfaceAddresses;
import dev.kawari.aws.InstanceMetadata;
import dev.kawari.spi.MonitorType;
import dev.kawari.spi.RecoveryKit;
import dev.kawari.spi.ResourceType;
import java.util.List;

/** The route-table virtual IP kit: resource and monitor type {@code ec2-route-table}. */
public final class RouteTableKit implements RecoveryKit {
    private final RouteTableResourceType resources;
    private final RouteTableMonitorType monitors;

    /** The kit as {@link java.util.ServiceLoader} builds it: {@code ip} from the PATH, IMDSv2 as the environment says. */
    public RouteTableKit() {
        this(new RouteTableResourceType(InstanceMetadata.fromEnvironment(), InterfaceAddresses.system()));
    }

    /** A kit around {@code resources} (tests give it their own {@code ip} command and IMDS). */
    RouteTableKit(RouteTableResourceType resources) {
        this.resources = resources;
        this.monitors = new RouteTableMonitorType();
    }

    @Override
    public String name() {
        return "ec2-route-table";
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
