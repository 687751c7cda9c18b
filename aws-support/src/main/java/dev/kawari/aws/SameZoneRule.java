package dev.kawari.aws;

import dev.kawari.spi.NodeIdentity;
import dev.kawari.spi.ProblemReporter;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The rule of the address kits that work within one subnet or one availability zone only: a
 * secondary private IP moves only between interfaces of its subnet, and an ENI attaches only to
 * instances of its zone. A cluster that breaks the rule is a configuration error that names the
 * nodes, their subnets and zones, and says which scenario fits a cluster across zones instead.
 *
 * <p>{@link #checkAtLoad} runs when the configuration is loaded (no AWS call); {@link #oneSubnet} and
 * {@link #oneZone} when a kit verifies its configuration against EC2, before anything runs.
 */
public final class SameZoneRule {
    /** What to use instead, for a cluster across availability zones. */
    public static final String MULTI_AZ_ADVICE = "for a cluster across availability zones use the route-table"
            + " scenario (type ec2-route-table: a virtual IP outside the VPC, for clients inside the VPC), or the"
            + " Route 53 scenario (a DNS record switched to the active node, for clients on-premises, in peered"
            + " VPCs or in other regions)";

    private SameZoneRule() {
    }

    /**
     * What can be checked before asking EC2: every node must be identifiable (an {@code instance-id} or
     * an {@code eni}), since every node's placement is checked before a run and a node other than the
     * running one cannot ask IMDSv2 for it; and all nodes must be in one region. A single-node cluster
     * is exempt from the first (the node may learn its identity from IMDSv2).
     *
     * @param subject what is moved, for messages ({@code secondary IP 10.0.1.50})
     * @param scope where all nodes must be ({@code one subnet}, {@code the ENI's availability zone})
     * @param defaultRegion {@code kawari.aws.region}
     */
    public static void checkAtLoad(String subject, String scope, Map<String, NodeIdentity> nodes,
            Optional<String> defaultRegion, ProblemReporter problems) {
        if (nodes.size() > 1) {
            for (NodeIdentity node : nodes.values()) {
                if (node.attribute("instance-id").isEmpty() && node.attribute("eni").isEmpty()) {
                    problems.problem(null, subject + " needs every node in " + scope + ", which is checked before"
                            + " a run, but node '" + node.name() + "' has neither instance-id nor eni: set"
                            + " instance-id in kawari.nodes." + node.name());
                }
            }
        }
        Map<String, String> regions = new LinkedHashMap<>();
        for (NodeIdentity node : nodes.values()) {
            node.attribute("region").or(() -> defaultRegion).ifPresent(region -> regions.put(node.name(), region));
        }
        if (regions.values().stream().distinct().count() > 1) {
            problems.problem(null, subject + " needs every node in " + scope + ", but the nodes are in different"
                    + " regions: " + regions.entrySet().stream().map(entry -> entry.getKey() + " in " + entry.getValue())
                            .collect(Collectors.joining(", ")) + "; " + MULTI_AZ_ADVICE);
        }
    }

    /**
     * The secondary-IP form of the rule: every node's primary interface in {@code subnet}.
     *
     * @return the violation's message, naming every node with its subnet and zone; empty when kept
     */
    public static Optional<String> oneSubnet(String subject, Ec2Subnet subnet, Collection<NodePlacements.Placement> nodes,
            Map<String, Ec2Subnet> subnets) {
        if (nodes.stream().allMatch(node -> node.subnetId().equals(subnet.id()))) {
            return Optional.empty();
        }
        long count = nodes.stream().map(NodePlacements.Placement::subnetId).distinct().count();
        return Optional.of(subject + " can move only between network interfaces of one subnet, but the nodes'"
                + " interfaces are in " + count + " subnets: " + list(nodes, subnets) + ". A secondary private IP"
                + " belongs to one subnet, and a subnet to one availability zone, so it cannot follow a node into"
                + " another subnet or AZ; put every node in " + subnet.describe() + ", or " + MULTI_AZ_ADVICE);
    }

    /**
     * The ENI form of the rule: every node's instance in the zone of the ENI's subnet (and in its VPC).
     *
     * @return the violation's message, naming every node with its subnet and zone; empty when kept
     */
    public static Optional<String> oneZone(String subject, Ec2Subnet subnet, Collection<NodePlacements.Placement> nodes,
            Map<String, Ec2Subnet> subnets) {
        List<NodePlacements.Placement> outside = nodes.stream()
                .filter(node -> !node.availabilityZone().equals(subnet.availabilityZone())
                        || !node.vpcId().equals(subnet.vpcId()))
                .toList();
        if (outside.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(subject + " lies in " + subnet.availabilityZone() + " (subnet " + subnet.describe() + ", "
                + subnet.vpcId() + ") and can be attached only to instances of that availability zone and VPC, but "
                + outside.stream().map(NodePlacements.Placement::node).map(name -> "'" + name + "'")
                        .collect(Collectors.joining(", ")) + (outside.size() == 1 ? " runs" : " run")
                + " elsewhere; the nodes: " + list(nodes, subnets) + ". An ENI cannot follow a node into another"
                + " AZ; put every node in " + subnet.availabilityZone() + ", or " + MULTI_AZ_ADVICE);
    }

    private static String list(Collection<NodePlacements.Placement> nodes, Map<String, Ec2Subnet> subnets) {
        return nodes.stream().map(node -> node.describe(subnets)).collect(Collectors.joining("; "));
    }
}
