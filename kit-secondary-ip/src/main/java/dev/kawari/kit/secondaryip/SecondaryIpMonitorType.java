package dev.kawari.kit.secondaryip;

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
 * Monitor type {@code secondary-ip}: watches its {@code target}, which must be a {@code secondary-ip}
 * resource, with that resource's check. It has no keys of its own; every such monitor of a node shares one
 * {@code DescribeNetworkInterfaces} per tick.
 */
final class SecondaryIpMonitorType implements MonitorType {

    @Override
    public String id() {
        return SecondaryIpResourceType.ID;
    }

    @Override
    public String description() {
        return "watches a secondary-ip resource: the address is assigned to this node's interface";
    }

    @Override
    public Monitor create(MonitorDefinition definition, KitContext context) {
        Optional<Resource> target = context.resource(definition.target());
        if (target.isPresent() && target.get() instanceof SecondaryIpResource resource) {
            return new SecondaryIpMonitor(resource);
        }
        if (target.isPresent()) {
            context.problem("target", "monitor type " + SecondaryIpResourceType.ID + " watches "
                    + SecondaryIpResourceType.ID + " resources, but '" + definition.target() + "' is " + target.get()
                    + "; use the monitor type of that resource's kit");
        } else {
            context.problem("target", "monitor type " + SecondaryIpResourceType.ID + " needs a valid "
                    + SecondaryIpResourceType.ID + " resource as its target; '" + definition.target() + "' is not one");
        }
        return null;
    }

    @Override
    public Set<String> iamActions(Config config) {
        return Set.of(SecondaryIpResourceType.DESCRIBE_NETWORK_INTERFACES);
    }

    private static final class SecondaryIpMonitor implements Monitor {
        private final SecondaryIpResource resource;

        SecondaryIpMonitor(SecondaryIpResource resource) {
            this.resource = resource;
        }

        @Override
        public CheckResult check(OperationContext context) throws InterruptedException {
            return resource.check(context);
        }
    }
}
