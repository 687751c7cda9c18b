package dev.kawari.kit.secondaryip;

import dev.kawari.aws.InstanceMetadata;
import dev.kawari.aws.InterfaceAddresses;
import dev.kawari.spi.MonitorType;
import dev.kawari.spi.RecoveryKit;
import dev.kawari.spi.ResourceType;
import java.util.List;

/** The secondary private IP kit: resource and monitor type {@code secondary-ip}. */
public final class SecondaryIpKit implements RecoveryKit {
    private final SecondaryIpResourceType resources;
    private final SecondaryIpMonitorType monitors = new SecondaryIpMonitorType();

    /** The kit as {@link java.util.ServiceLoader} builds it: {@code ip} from the PATH, IMDSv2 as the environment says. */
    public SecondaryIpKit() {
        this(new SecondaryIpResourceType(InstanceMetadata.fromEnvironment(), InterfaceAddresses.system()));
    }

    /** A kit around {@code resources} (tests give it their own {@code ip} command and IMDS). */
    SecondaryIpKit(SecondaryIpResourceType resources) {
        this.resources = resources;
    }

    @Override
    public String name() {
        return "secondary-ip";
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
