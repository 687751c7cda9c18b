package dev.kawari.kit.secondaryip;

import com.typesafe.config.Config;
import dev.kawari.aws.AwsSettings;
import dev.kawari.aws.Ec2Nodes;
import dev.kawari.aws.Ec2Subnet;
import dev.kawari.aws.InstanceMetadata;
import dev.kawari.aws.InterfaceAddresses;
import dev.kawari.aws.NodePlacements;
import dev.kawari.aws.SameZoneRule;
import dev.kawari.aws.SharedDescribe;
import dev.kawari.spi.KitContext;
import dev.kawari.spi.Resource;
import dev.kawari.spi.ResourceDefinition;
import dev.kawari.spi.ResourceType;
import dev.kawari.spi.TimeSource;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;

/**
 * Resource type {@code secondary-ip}. One instance serves every resource of the type in the process
 * and owns what they share: one {@code DescribeNetworkInterfaces} of this node's interface per
 * monitor tick, whatever the number of secondary IPs, and the node's resolved identity.
 */
public final class SecondaryIpResourceType implements ResourceType {
    static final String ID = "secondary-ip";

    static final String DESCRIBE_NETWORK_INTERFACES = NodePlacements.DESCRIBE_NETWORK_INTERFACES;
    static final String ASSIGN_PRIVATE_IP_ADDRESSES = "ec2:AssignPrivateIpAddresses";
    static final String UNASSIGN_PRIVATE_IP_ADDRESSES = "ec2:UnassignPrivateIpAddresses";
    static final String DESCRIBE_SUBNETS = Ec2Subnet.DESCRIBE_SUBNETS;

    /** What one shared describe is about: one network interface, seen with one set of clients. */
    record InterfaceKey(AwsSettings settings, String region, String eni) {
    }

    private final SharedDescribe<InterfaceKey, Optional<NetworkInterface>> interfaces;
    private final Ec2Nodes nodes;
    private final InterfaceAddresses addresses;

    /** @param metadata where a node's missing identity comes from; @param addresses how to run {@code ip} */
    public SecondaryIpResourceType(InstanceMetadata metadata, InterfaceAddresses addresses) {
        this(metadata, addresses, SharedDescribe.DEFAULT_FRESHNESS, TimeSource.system());
    }

    SecondaryIpResourceType(InstanceMetadata metadata, InterfaceAddresses addresses, Duration freshness,
            TimeSource time) {
        this.addresses = addresses;
        this.nodes = new Ec2Nodes(metadata, addresses);
        this.interfaces = new SharedDescribe<>(freshness, time);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "secondary private IP of the nodes' subnet moved to the active node's interface (one subnet, one AZ)";
    }

    /**
     * Validates the block and, without calling AWS, what can be known of the nodes: each is
     * identifiable and all are in one region (their subnets are checked by {@code verify}).
     */
    @Override
    public Resource create(ResourceDefinition definition, KitContext context) {
        AwsSettings aws = AwsSettings.read(context.section(AwsSettings.SECTION), (key, message) -> context.problem(null,
                message));
        Optional<SecondaryIpSettings> settings = SecondaryIpSettings.read(definition.config(), context);
        settings.ifPresent(valid -> SameZoneRule.checkAtLoad("secondary IP " + valid.address(), "one subnet",
                context.nodes(), aws.region(), context));
        return settings.map(valid -> new SecondaryIpResource(definition.service() + "/" + definition.id(), valid, aws,
                context.nodes(), this)).orElse(null);
    }

    /**
     * Exactly the EC2 actions a resource configured with {@code config} calls: {@code
     * DescribeNetworkInterfaces} and {@code AssignPrivateIpAddresses}, {@code DescribeSubnets} for
     * verify, and {@code UnassignPrivateIpAddresses} only with {@code unassign-on-remove}.
     */
    @Override
    public Set<String> iamActions(Config config) {
        Set<String> actions = new TreeSet<>(List.of(DESCRIBE_NETWORK_INTERFACES, ASSIGN_PRIVATE_IP_ADDRESSES,
                DESCRIBE_SUBNETS));
        if (!config.hasPath("unassign-on-remove") || config.getBoolean("unassign-on-remove")) {
            actions.add(UNASSIGN_PRIVATE_IP_ADDRESSES);
        }
        return actions;
    }

    SharedDescribe<InterfaceKey, Optional<NetworkInterface>> interfaces() {
        return interfaces;
    }

    Ec2Nodes nodes() {
        return nodes;
    }

    InterfaceAddresses addresses() {
        return addresses;
    }
}
