package dev.kawari.kit.route53;

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
 * Monitor type {@code route53}: watches its {@code target}, which must be a {@code route53} resource,
 * with that resource's check (which never writes). It has no keys of its own; every such monitor of a
 * node shares one {@code ListResourceRecordSets} per hosted zone per tick.
 */
final class Route53MonitorType implements MonitorType {

    @Override
    public String id() {
        return Route53ResourceType.ID;
    }

    @Override
    public String description() {
        return "watches a route53 resource: the record (and, with resolvers, DNS) names this node";
    }

    @Override
    public Monitor create(MonitorDefinition definition, KitContext context) {
        Optional<Resource> target = context.resource(definition.target());
        if (target.isPresent() && target.get() instanceof Route53Resource resource) {
            return new Route53Monitor(resource);
        }
        if (target.isPresent()) {
            context.problem("target", "monitor type " + Route53ResourceType.ID + " watches " + Route53ResourceType.ID
                    + " resources, but '" + definition.target() + "' is " + target.get()
                    + "; use the monitor type of that resource's kit");
        } else {
            context.problem("target", "monitor type " + Route53ResourceType.ID + " needs a valid "
                    + Route53ResourceType.ID + " resource as its target; '" + definition.target() + "' is not one");
        }
        return null;
    }

    /** The check reads the record; the node's address is read once (it is usually known from restore). */
    @Override
    public Set<String> iamActions(Config config) {
        return Set.of(Route53ResourceType.LIST_RESOURCE_RECORD_SETS);
    }

    private static final class Route53Monitor implements Monitor {
        private final Route53Resource resource;

        Route53Monitor(Route53Resource resource) {
            this.resource = resource;
        }

        @Override
        public CheckResult check(OperationContext context) throws InterruptedException {
            return resource.check(context);
        }
    }
}
