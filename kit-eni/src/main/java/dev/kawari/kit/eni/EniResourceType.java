package dev.kawari.kit.eni;

import com.typesafe.config.Config;
import dev.kawari.aws.AwsSettings;
import dev.kawari.aws.Ec2Nodes;
import dev.kawari.aws.Ec2Subnet;
import dev.kawari.aws.HostCommands;
import dev.kawari.aws.InstanceMetadata;
import dev.kawari.aws.NodePlacements;
import dev.kawari.aws.SameZoneRule;
import dev.kawari.aws.SharedDescribe;
import dev.kawari.spi.KitContext;
import dev.kawari.spi.NodeIdentity;
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
import software.amazon.awssdk.services.ec2.model.NetworkInterface;

/**
 * Resource type {@code eni}. One instance serves every resource of the type in the process and owns
 * what they share: the ENI ids in use, one {@code DescribeNetworkInterfaces} for all of them per
 * region per monitor tick, the node's resolved identity, and how to run commands on this host.
 */
public final class EniResourceType implements ResourceType {
    static final String ID = "eni";

    static final String DESCRIBE_NETWORK_INTERFACES = NodePlacements.DESCRIBE_NETWORK_INTERFACES;
    static final String ATTACH_NETWORK_INTERFACE = "ec2:AttachNetworkInterface";
    static final String DETACH_NETWORK_INTERFACE = "ec2:DetachNetworkInterface";
    static final String DESCRIBE_SUBNETS = Ec2Subnet.DESCRIBE_SUBNETS;

    /** What one shared describe is about: the ENIs of one region, seen with one set of clients. */
    record RegionKey(AwsSettings settings, String region) {
    }

    /**
     * One answer of the shared describe.
     *
     * @param asked the ENI ids asked for
     * @param found the interfaces found, by id (an id that does not exist is absent)
     */
    record Interfaces(Set<String> asked, Map<String, NetworkInterface> found) {
        Interfaces {
            asked = Set.copyOf(asked);
            found = Map.copyOf(found);
        }
    }

    private final SharedDescribe<RegionKey, Interfaces> interfaces;
    private final Ec2Nodes nodes;
    private final HostCommands host;
    private final Map<AwsSettings, Map<String, Integer>> inUse = new HashMap<>();
    private final Map<String, Ec2Subnet> subnets = new java.util.concurrent.ConcurrentHashMap<>();

    /** @param metadata where a node's missing identity comes from; @param host how to run commands on this host */
    public EniResourceType(InstanceMetadata metadata, HostCommands host) {
        this(metadata, host, SharedDescribe.DEFAULT_FRESHNESS, TimeSource.system());
    }

    EniResourceType(InstanceMetadata metadata, HostCommands host, Duration freshness, TimeSource time) {
        this.host = Objects.requireNonNull(host, "host");
        this.nodes = new Ec2Nodes(metadata, host.interfaces());
        this.interfaces = new SharedDescribe<>(freshness, time);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "dedicated network interface detached from one node and attached to the active one (one AZ)";
    }

    /**
     * Validates the block and, without calling AWS, what can be known of the nodes: each is
     * identifiable, all are in one region, and none has the ENI as its primary interface (their
     * zones are checked by {@code verify}).
     */
    @Override
    public Resource create(ResourceDefinition definition, KitContext context) {
        AwsSettings aws = AwsSettings.read(context.section(AwsSettings.SECTION), (key, message) -> context.problem(null,
                message));
        Optional<EniSettings> settings = EniSettings.read(definition.config(), context);
        settings.ifPresent(valid -> {
            SameZoneRule.checkAtLoad("dedicated ENI " + valid.eniId(), "the ENI's availability zone", context.nodes(),
                    aws.region(), context);
            for (NodeIdentity node : context.nodes().values()) {
                if (node.attribute("eni").filter(valid.eniId()::equals).isPresent()) {
                    context.problem("eni-id", valid.eniId() + " is the primary network interface (eni) of node '"
                            + node.name() + "': a dedicated ENI must be an interface of its own, not a node's");
                }
            }
        });
        return settings.map(valid -> new EniResource(definition.service() + "/" + definition.id(), valid, aws,
                context.nodes(), this)).orElse(null);
    }

    /**
     * Exactly the EC2 actions a resource calls, whatever its configuration: {@code
     * DescribeNetworkInterfaces}, {@code AttachNetworkInterface}, {@code DetachNetworkInterface}
     * (restore detaches the ENI from the node that had it, even without {@code detach-on-remove}), and
     * {@code DescribeSubnets} (the address's prefix and gateway, and verify).
     */
    @Override
    public Set<String> iamActions(Config config) {
        return new TreeSet<>(List.of(DESCRIBE_NETWORK_INTERFACES, ATTACH_NETWORK_INTERFACE, DETACH_NETWORK_INTERFACE,
                DESCRIBE_SUBNETS));
    }

    SharedDescribe<RegionKey, Interfaces> interfaces() {
        return interfaces;
    }

    Ec2Nodes nodes() {
        return nodes;
    }

    /** The subnets read so far, by id: a subnet's block and zone never change. */
    Map<String, Ec2Subnet> subnets() {
        return subnets;
    }

    HostCommands host() {
        return host;
    }

    /** Counts a resource's ENI in, so that shared describes ask for it. */
    void use(AwsSettings settings, String eni) {
        synchronized (inUse) {
            inUse.computeIfAbsent(settings, key -> new HashMap<>()).merge(eni, 1, Integer::sum);
        }
    }

    /** Counts a closed resource's ENI out. */
    void release(AwsSettings settings, String eni) {
        synchronized (inUse) {
            Map<String, Integer> ids = inUse.get(settings);
            if (ids != null && ids.computeIfPresent(eni, (id, count) -> count > 1 ? count - 1 : null) == null
                    && ids.isEmpty()) {
                inUse.remove(settings);
            }
        }
    }

    /** Every ENI id the resources with {@code settings} watch, sorted. */
    Set<String> inUse(AwsSettings settings) {
        synchronized (inUse) {
            return new TreeSet<>(Objects.requireNonNullElse(inUse.get(settings), Map.<String, Integer>of()).keySet());
        }
    }
}
