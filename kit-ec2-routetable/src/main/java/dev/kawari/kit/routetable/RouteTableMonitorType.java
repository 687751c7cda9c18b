package dev.kawari.kit.routetable;

import dev.kawari.spi.ResourceCheckMonitorType;
import java.util.Set;

/**
 * Monitor type {@code ec2-route-table}: watches its {@code target}, which must be an {@code
 * ec2-route-table} resource, with that resource's check. It has no keys of its own, so the address
 * and route tables are written once; every such monitor of a node shares one {@code
 * DescribeRouteTables} per VPC per tick.
 */
final class RouteTableMonitorType extends ResourceCheckMonitorType<RouteTableResource> {

    RouteTableMonitorType() {
        super(RouteTableResourceType.ID, RouteTableResource.class,
                "watches an ec2-route-table resource: its routes point here and the address is local",
                Set.of(RouteTableResourceType.DESCRIBE_ROUTE_TABLES, RouteTableResourceType.DESCRIBE_NETWORK_INTERFACES));
    }
}
