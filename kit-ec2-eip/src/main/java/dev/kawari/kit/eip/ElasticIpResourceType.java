package dev.kawari.kit.eip;

import com.typesafe.config.Config;
import dev.kawari.aws.AwsSettings;
import dev.kawari.aws.Ec2Nodes;
import dev.kawari.aws.InstanceMetadata;
import dev.kawari.aws.InterfaceAddresses;
import dev.kawari.aws.SharedDescribe;
import dev.kawari.spi.KitContext;
import dev.kawari.spi.Resource;
import dev.kawari.spi.ResourceDefinition;
import dev.kawari.spi.ResourceType;
import dev.kawari.spi.TimeSource;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.ec2.model.Address;

/**
 * Resource type {@code ec2-eip}. One instance serves every resource of the type in the process and
 * owns what they share: the allocation ids in use, and one {@code DescribeAddresses} for all of them
 * per region per monitor tick.
 */
public final class ElasticIpResourceType implements ResourceType {
    static final String ID = "ec2-eip";

    static final String DESCRIBE_ADDRESSES = "ec2:DescribeAddresses";
    static final String ASSOCIATE_ADDRESS = "ec2:AssociateAddress";
    static final String DISASSOCIATE_ADDRESS = "ec2:DisassociateAddress";
    static final String DESCRIBE_NETWORK_INTERFACES = dev.kawari.aws.Ec2Interfaces.DESCRIBE_NETWORK_INTERFACES;

    /** What one shared describe is about: the addresses of one region, seen with one set of clients. */
    record RegionKey(AwsSettings settings, String region) {
    }

    /**
     * One answer of the shared describe.
     *
     * @param asked the allocation ids asked for
     * @param found the addresses found, by allocation id (an id that does not exist is absent)
     */
    record Addresses(Set<String> asked, Map<String, Address> found) {
        Addresses {
            asked = Set.copyOf(asked);
            found = Map.copyOf(found);
        }
    }

    private final SharedDescribe<RegionKey, Addresses> addresses;
    private final Ec2Nodes nodes;
    private final Map<AwsSettings, Map<String, Integer>> inUse = new HashMap<>();

    public ElasticIpResourceType(InstanceMetadata metadata) {
        this(metadata, SharedDescribe.DEFAULT_FRESHNESS, TimeSource.system());
    }

    ElasticIpResourceType(InstanceMetadata metadata, Duration freshness, TimeSource time) {
        this.nodes = new Ec2Nodes(metadata, InterfaceAddresses.system());
        this.addresses = new SharedDescribe<>(freshness, time);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Elastic IP associated with the active node's network interface";
    }

    @Override
    public Resource create(ResourceDefinition definition, KitContext context) {
        AwsSettings aws = AwsSettings.read(context.section(AwsSettings.SECTION), (key, message) -> context.problem(null,
                message));
        Optional<ElasticIpSettings> settings = ElasticIpSettings.read(definition.config(), context);
        return settings.map(valid -> new ElasticIpResource(definition.service() + "/" + definition.id(), valid, aws,
                this)).orElse(null);
    }

    /**
     * Exactly the EC2 actions a resource configured with {@code config} calls: {@code
     * DescribeAddresses} and {@code AssociateAddress}, {@code DescribeNetworkInterfaces} for verify,
     * and {@code DisassociateAddress} only with {@code disassociate-on-remove}.
     */
    @Override
    public Set<String> iamActions(Config config) {
        Set<String> actions = new TreeSet<>(List.of(DESCRIBE_ADDRESSES, ASSOCIATE_ADDRESS, DESCRIBE_NETWORK_INTERFACES));
        if (!config.hasPath("disassociate-on-remove") || config.getBoolean("disassociate-on-remove")) {
            actions.add(DISASSOCIATE_ADDRESS);
        }
        return actions;
    }

    SharedDescribe<RegionKey, Addresses> addresses() {
        return addresses;
    }

    Ec2Nodes nodes() {
        return nodes;
    }

    /** Counts a resource's allocation id in, so that shared describes ask for it. */
    void use(AwsSettings settings, String allocationId) {
        synchronized (inUse) {
            inUse.computeIfAbsent(settings, key -> new HashMap<>()).merge(allocationId, 1, Integer::sum);
        }
    }

    /** Counts a closed resource's allocation id out. */
    void release(AwsSettings settings, String allocationId) {
        synchronized (inUse) {
            Map<String, Integer> ids = inUse.get(settings);
            if (ids != null && ids.computeIfPresent(allocationId, (id, count) -> count > 1 ? count - 1 : null) == null
                    && ids.isEmpty()) {
                inUse.remove(settings);
            }
        }
    }

    /** Every allocation id the resources with {@code settings} watch, sorted. */
    Set<String> inUse(AwsSettings settings) {
        synchronized (inUse) {
            return new TreeSet<>(Objects.requireNonNullElse(inUse.get(settings), Map.<String, Integer>of()).keySet());
        }
    }
}
