package dev.kawari.kit.eni;

import dev.kawari.aws.HostCommands;
import dev.kawari.aws.InstanceMetadata;
import dev.kawari.spi.MonitorType;
import dev.kawari.spi.RecoveryKit;
import dev.kawari.spi.ResourceType;
import java.util.List;

/** The dedicated ENI kit: resource and monitor type {@code eni}. */
public final class EniKit implements RecoveryKit {
    private final EniResourceType resources;
    private final EniMonitorType monitors = new EniMonitorType();

    /** The kit as {@link java.util.ServiceLoader} builds it: commands run on this host, IMDSv2 as the environment says. */
    public EniKit() {
        this(new EniResourceType(InstanceMetadata.fromEnvironment(), HostCommands.system()));
    }

    /**
     * A kit around {@code resources}, built with their own host commands and IMDS: an application that
     * embeds the engine, or a test or benchmark whose node runs in a network namespace.
     */
    public EniKit(EniResourceType resources) {
        this.resources = resources;
    }

    @Override
    public String name() {
        return "eni";
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
