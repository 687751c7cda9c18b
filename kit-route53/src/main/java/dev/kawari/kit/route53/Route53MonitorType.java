package dev.kawari.kit.route53;

import dev.kawari.spi.ResourceCheckMonitorType;
import java.util.Set;

/**
 * Monitor type {@code route53}: watches its {@code target}, which must be a {@code route53} resource,
 * with that resource's check (which never writes). It has no keys of its own; every such monitor of a
 * node shares one {@code ListResourceRecordSets} per hosted zone per tick. The check reads the record;
 * the node's address is read once (it is usually known from restore), under the resource type's actions.
 */
final class Route53MonitorType extends ResourceCheckMonitorType<Route53Resource> {

    Route53MonitorType() {
        super(Route53ResourceType.ID, Route53Resource.class,
                "watches a route53 resource: the record (and, with resolvers, DNS) names this node",
                Set.of(Route53ResourceType.LIST_RESOURCE_RECORD_SETS));
    }
}
