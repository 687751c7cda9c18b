package dev.kawari.kit.routetable;

import com.typesafe.config.Config;
import dev.kawari.spi.CheckResult;
import dev.kawari.spi.KitContext;
import dev.kawari.spi.Monitor;
import dev.kawari.spi.MonitorDefinition;
import dev.kawari.spi.MonitorType;
import dev.kawari.spi.OperationContext;
import dev.kawari.spi.Resource;
import java.util.Optional;
import java.util.Set;

/**
 * Monitor type {@code ec2-route-table}: watches its {@code target}, which must be an {@code
 * ec2-route-table} resource, with that resource's check. It has no keys of its own, so the address
 * and route tables are written once; every such monitor of a node shares one {@code
 * DescribeRouteTables} per VPC per tick.
 */
final class RouteTableMonitorType implements MonitorType {

    @Override
    public String id() {
        return RouteTableResourceType.ID;
    }

    @Override
    public String description() {
        return "watches an ec2-route-table resource: its routes point here and the address is local";
    }

    @Override
    public Monitor create(MonitorDefinition definition, KitContext context) {
        Optional<Resource> target = context.resource(definition.target());
        if (target.isPresent() && target.get() instanceof RouteTableResource resource) {
            return new RouteTableMonitor(resource);
        }
        if (target.isPresent()) {
            context.problem("target", "monitor type " + RouteTableResourceType.ID + " watches " + RouteTableResourceType.ID
                    + " resources, but '" + definition.target() + "' is " + target.get()
                    + "; use the monitor type of that resource's kit");
        } else {
            // An unknown target or a target whose own block is invalid is already reported by the engine.
            context.problem("target", "monitor type " + RouteTableResourceType.ID + " needs a valid "
                    + RouteTableResourceType.ID + " resource as its target; '" + definition.target() + "' is not one");
        }
        return null;
    }

    @Override
    public Set<String> iamActions(Config config) {
        return Set.of(RouteTableResourceType.DESCRIBE_ROUTE_TABLES, RouteTableResourceType.DESCRIBE_NETWORK_INTERFACES);
    }

    private static final class RouteTableMonitor implements Monitor {
        private final RouteTableResource resource;

        RouteTableMonitor(RouteTableResource resource) {
            this.resource = resource;
        }

        @Override
        public CheckResult check(OperationContext context) throws InterruptedException {
            return resource.check(context);
        }
    }
}
