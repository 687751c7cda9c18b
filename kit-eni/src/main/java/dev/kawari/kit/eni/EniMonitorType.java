package dev.kawari.kit.eni;

import dev.kawari.spi.ResourceCheckMonitorType;
import java.util.Set;

/**
 * Monitor type {@code eni}: watches its {@code target}, which must be an {@code eni} resource, with
 * that resource's check. It has no keys of its own; every such monitor of a node shares one {@code
 * DescribeNetworkInterfaces} per tick.
 */
final class EniMonitorType extends ResourceCheckMonitorType<EniResource> {

    EniMonitorType() {
        super(EniResourceType.ID, EniResource.class,
                "watches an eni resource: the interface is attached to this node and up",
                Set.of(EniResourceType.DESCRIBE_NETWORK_INTERFACES));
    }
}
