package dev.kawari.kit.secondaryip;

import dev.kawari.spi.ResourceCheckMonitorType;
import java.util.Set;

/**
 * Monitor type {@code secondary-ip}: watches its {@code target}, which must be a {@code secondary-ip}
 * resource, with that resource's check. It has no keys of its own; every such monitor of a node shares one
 * {@code DescribeNetworkInterfaces} per tick.
 */
final class SecondaryIpMonitorType extends ResourceCheckMonitorType<SecondaryIpResource> {

    SecondaryIpMonitorType() {
        super(SecondaryIpResourceType.ID, SecondaryIpResource.class,
                "watches a secondary-ip resource: the address is assigned to this node's interface",
                Set.of(SecondaryIpResourceType.DESCRIBE_NETWORK_INTERFACES));
    }
}
