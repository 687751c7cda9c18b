package dev.kawari.kit.routetable;

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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.ec2.model.RouteTable;

/**
 * Resource type {@code ec2-route-table}. One instance serves every resource of the type in the
 * process and owns what they share: one {@code DescribeRouteTables} per VPC per monitor tick, the
 * node's resolved identity, and each interface's VPC.
 */
public final class RouteTableResourceType implements ResourceType {
    static final String ID = "ec2-route-table";

    static final String DESCRIBE_ROUTE_TABLES = "ec2:DescribeRouteTables";
    static final String DESCRIBE_VPCS = "ec2:DescribeVpcs";
    static final String DESCRIBE_NETWORK_INTERFACES = dev.kawari.aws.Ec2Interfaces.DESCRIBE_NETWORK_INTERFACES;
    static final String REPLACE_ROUTE = "ec2:ReplaceRoute";
    static final String CREATE_ROUTE = "ec2:CreateRoute";
    static final String MODIFY_NETWORK_INTERFACE_ATTRIBUTE = "ec2:ModifyNetworkInterfaceAttribute";

    /** What one shared describe is about: the route tables of one VPC, seen with one set of clients. */
    record VpcKey(AwsSettings settings, String region, String vpcId) {
    }

    private final SharedDescribe<VpcKey, List<RouteTable>> routeTables;
    private final Ec2Nodes nodes;
    private final InterfaceAddresses addresses;
    private final Map<String, String> vpcOfInterface = new ConcurrentHashMap<>();

    /** @param metadata where a node's missing identity comes from; @param addresses how to run {@code ip} */
    public RouteTableResourceType(InstanceMetadata metadata, InterfaceAddresses addresses) {
        this(metadata, addresses, SharedDescribe.DEFAULT_FRESHNESS, TimeSource.system());
    }

    RouteTableResourceType(InstanceMetadata metadata, InterfaceAddresses addresses, Duration freshness,
            TimeSource time) {
        this.addresses = addresses;
        this.nodes = new Ec2Nodes(metadata, addresses);
        this.routeTables = new SharedDescribe<>(freshness, time);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "virtual IP outside the VPC routed to the active node by route tables (cross-AZ)";
    }

    @Override
    public Resource create(ResourceDefinition definition, KitContext context) {
        AwsSettings aws = AwsSettings.read(context.section(AwsSettings.SECTION), (key, message) -> context.problem(null,
                message));
        Optional<RouteTableSettings> settings = RouteTableSettings.read(definition.config(), context);
        return settings.map(valid -> new RouteTableResource(definition.service() + "/" + definition.id(), valid, aws,
                this)).orElse(null);
    }

    /**
     * Exactly the EC2 actions a resource configured with {@code config} calls: describes for check and
     * verify, {@code ReplaceRoute} for restore, {@code CreateRoute} only with {@code
     * create-missing-routes}, {@code ModifyNetworkInterfaceAttribute} only with {@code
     * disable-source-dest-check}.
     */
    @Override
    public Set<String> iamActions(Config config) {
        Set<String> actions = new TreeSet<>(List.of(DESCRIBE_ROUTE_TABLES, DESCRIBE_VPCS, DESCRIBE_NETWORK_INTERFACES,
                REPLACE_ROUTE));
        if (!config.hasPath("create-missing-routes") || config.getBoolean("create-missing-routes")) {
            actions.add(CREATE_ROUTE);
        }
        if (!config.hasPath("disable-source-dest-check") || config.getBoolean("disable-source-dest-check")) {
            actions.add(MODIFY_NETWORK_INTERFACE_ATTRIBUTE);
        }
        return actions;
    }

    SharedDescribe<VpcKey, List<RouteTable>> routeTables() {
        return routeTables;
    }

    Ec2Nodes nodes() {
        return nodes;
    }

    InterfaceAddresses addresses() {
        return addresses;
    }

    Map<String, String> vpcOfInterface() {
        return vpcOfInterface;
    }
}
