package dev.kawari.kit.eip;

import dev.kawari.aws.InstanceMetadata;
import dev.kawari.spi.MonitorType;
import dev.kawari.spi.RecoveryKit;
import dev.kawari.spi.ResourceType;
import java.util.List;

/** The Elastic IP kit: resource and monitor type {@code ec2-eip}. */
public final class ElasticIpKit implements RecoveryKit {
    private final ElasticIpResourceType resources;
    private final ElasticIpMonitorType monitors = new ElasticIpMonitorType();

    /** The kit as {@link java.util.ServiceLoader} builds it: IMDSv2 as the environment says. */
    public ElasticIpKit() {
        this(new ElasticIpResourceType(InstanceMetadata.fromEnvironment()));
    }

    ElasticIpKit(ElasticIpResourceType resources) {
        this.resources = resources;
    }

    @Override
    public String name() {
        return "ec2-eip";
    }

    @Override
    public List<ResourceType> resourceTypes() {
        return List.of(resources);
    }

    @Override
    public List<MonitorType> monitorTypes() {
        return List.of(monitors);
    }
}
