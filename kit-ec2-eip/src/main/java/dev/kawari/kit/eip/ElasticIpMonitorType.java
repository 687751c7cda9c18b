package dev.kawari.kit.eip;

import dev.kawari.spi.ResourceCheckMonitorType;
import java.util.Set;

/**
 * Monitor type {@code ec2-eip}: watches its {@code target}, which must be an {@code ec2-eip} resource,
 * with that resource's check. It has no keys of its own; every such monitor of a node shares one
 * {@code DescribeAddresses} per region per tick.
 */
final class ElasticIpMonitorType extends ResourceCheckMonitorType<ElasticIpResource> {

    ElasticIpMonitorType() {
        super(ElasticIpResourceType.ID, ElasticIpResource.class,
                "watches an ec2-eip resource: the address is associated with this node",
                Set.of(ElasticIpResourceType.DESCRIBE_ADDRESSES));
    }
}
