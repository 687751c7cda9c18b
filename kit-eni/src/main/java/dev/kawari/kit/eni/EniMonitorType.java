package dev.kawari.kit.eni;

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
 * Monitor type {@code eni}: watches its {@code target}, which must be an {@code eni} resource, with
 * that resource's check. It has no keys of its own; every such monitor of a node shares one {@code
 * DescribeNetworkInterfaces} per tick.
 */
final class EniMonitorType implements MonitorType {

    @Override
    public String id() {
        return EniResourceType.ID;
    }

    @Override
    public String description() {
        return "watches an eni resource: the interface is attached to this node and up";
    }

    @Override
    public Monitor create(MonitorDefinition definition, KitContext context) {
        Optional<Resource> target = context.resource(definition.target());
        if (target.isPresent() && target.get() instanceof EniResource resource) {
            return new EniMonitor(resource);
        }
        if (target.isPresent()) {
            context.problem("target", "monitor type " + EniResourceType.ID + " watches "
                    + EniResourceType.ID + " resources, but '" + definition.target() + "' is " + target.get()
                    + "; use the monitor type of that resource's kit");
        } else {
            context.problem("target", "monitor type " + EniResourceType.ID + " needs a valid "
                    + EniResourceType.ID + " resource as its target; '" + definition.target() + "' is not one");
        }
        return null;
    }

    @Override
    public Set<String> iamActions(Config config) {
        return Set.of(EniResourceType.DESCRIBE_NETWORK_INTERFACES);
    }

    private static final class EniMonitor implements Monitor {
        private final EniResource resource;

        EniMonitor(EniResource resource) {
            this.resource = resource;
        }

        @Override
        public CheckResult check(OperationContext context) throws InterruptedException {
            return resource.check(context);
        }
    }
}
