package dev.kawari.kit.eip;

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
 * Monitor type {@code ec2-eip}: watches its {@code target}, which must be an {@code ec2-eip} resource,
 * with that resource's check. It has no keys of its own; every such monitor of a node shares one
 * {@code DescribeAddresses} per region per tick.
 */
final class ElasticIpMonitorType implements MonitorType {

    @Override
    public String id() {
        return ElasticIpResourceType.ID;
    }

    @Override
    public String description() {
        return "watches an ec2-eip resource: the address is associated with this node";
    }

    @Override
    public Monitor create(MonitorDefinition definition, KitContext context) {
        Optional<Resource> target = context.resource(definition.target());
        if (target.isPresent() && target.get() instanceof ElasticIpResource resource) {
            return new ElasticIpMonitor(resource);
        }
        if (target.isPresent()) {
            context.problem("target", "monitor type " + ElasticIpResourceType.ID + " watches " + ElasticIpResourceType.ID
                    + " resources, but '" + definition.target() + "' is " + target.get()
                    + "; use the monitor type of that resource's kit");
        } else {
            context.problem("target", "monitor type " + ElasticIpResourceType.ID + " needs a valid "
                    + ElasticIpResourceType.ID + " resource as its target; '" + definition.target() + "' is not one");
        }
        return null;
    }

    @Override
    public Set<String> iamActions(Config config) {
        return Set.of(ElasticIpResourceType.DESCRIBE_ADDRESSES);
    }

    private static final class ElasticIpMonitor implements Monitor {
        private final ElasticIpResource resource;

        ElasticIpMonitor(ElasticIpResource resource) {
            this.resource = resource;
        }

        @Override
        public CheckResult check(OperationContext context) throws InterruptedException {
            return resource.check(context);
        }
    }
}
