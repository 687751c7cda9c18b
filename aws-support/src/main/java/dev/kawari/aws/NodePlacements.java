package dev.kawari.aws;

import dev.kawari.spi.NodeIdentity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;

/**
 * Where every node of the cluster runs, read from EC2 before a kit acts: each node's instance,
 * primary network interface, subnet and availability zone. Kits whose address can only move within
 * one subnet or one zone ({@code secondary-ip}, {@code eni}) check {@link SameZoneRule} against it.
 *
 * <p>This node is taken as resolved ({@link Ec2Node}, possibly from IMDSv2); the other nodes as the
 * configuration describes them ({@code eni}, else {@code instance-id}). It costs at most two {@code
 * DescribeNetworkInterfaces}, whatever the number of nodes: one by interface id (filters, so that an
 * unknown id is reported rather than failing the call), one by instance id for the nodes known only
 * by their instance (and, when asked, for every instance, to learn which device indexes are in use).
 */
public final class NodePlacements {
    /** The IAM action of {@link #survey}. */
    public static final String DESCRIBE_NETWORK_INTERFACES = Ec2Interfaces.DESCRIBE_NETWORK_INTERFACES;

    private NodePlacements() {
    }

    /**
     * Where one node runs.
     *
     * @param node the node's name
     * @param instanceId its instance; empty when its primary interface is attached to none
     * @param eni its primary network interface
     * @param subnetId the subnet of that interface
     * @param availabilityZone the zone of that interface (and so of the instance)
     * @param vpcId the VPC of that interface
     * @param interfacesByDeviceIndex the interfaces attached to the instance, by device index; empty
     *     unless asked for
     */
    public record Placement(String node, Optional<String> instanceId, String eni, String subnetId,
            String availabilityZone, String vpcId, Map<Integer, String> interfacesByDeviceIndex) {
        public Placement {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(instanceId, "instanceId");
            Objects.requireNonNull(eni, "eni");
            Objects.requireNonNull(subnetId, "subnetId");
            Objects.requireNonNull(availabilityZone, "availabilityZone");
            Objects.requireNonNull(vpcId, "vpcId");
            interfacesByDeviceIndex = Map.copyOf(interfacesByDeviceIndex);
        }

        /** {@code node-a (i-0abc, eni-0def) in subnet-0123 (10.0.1.0/24, us-east-1a)}, for messages. */
        public String describe(Map<String, Ec2Subnet> subnets) {
            Ec2Subnet subnet = subnets.get(subnetId);
            return node + " (" + instanceId.map(id -> id + ", ").orElse("") + eni + ") in "
                    + (subnet == null ? subnetId + " (" + availabilityZone + ")" : subnet.describe());
        }
    }

    /**
     * What the survey found.
     *
     * @param placed where each node runs, in the order of the configuration
     * @param problems why a node could not be placed (an unknown interface, an interface attached to
     *     another instance than the node's), by node; copied
     */
    public record Survey(Map<String, Placement> placed, Map<String, String> problems) {
        public Survey {
            placed = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(placed));
            problems = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(problems));
        }

        /** Every subnet some node is in. */
        public Set<String> subnetIds() {
            Set<String> ids = new LinkedHashSet<>();
            placed.values().forEach(placement -> ids.add(placement.subnetId()));
            return ids;
        }
    }

    /**
     * Places every node of {@code nodes} in {@code self}'s region.
     *
     * @param self this node, resolved; it stands for the node of the same name
     * @param deviceIndexes whether to learn every instance's interfaces by device index
     */
    public static Survey survey(AwsOperation calls, Ec2Client ec2, Map<String, NodeIdentity> nodes, Ec2Node self,
            boolean deviceIndexes) {
        Map<String, Optional<String>> eniOf = new LinkedHashMap<>();
        Map<String, Optional<String>> instanceOf = new LinkedHashMap<>();
        Map<String, String> problems = new LinkedHashMap<>();
        for (NodeIdentity node : nodes.values()) {
            boolean isSelf = node.name().equals(self.name());
            Optional<String> region = isSelf ? Optional.of(self.region()) : node.attribute("region");
            if (region.isPresent() && !region.get().equals(self.region())) {
                problems.put(node.name(), "node '" + node.name() + "' is in region " + region.get() + ", not in "
                        + self.region() + " like node '" + self.name() + "'");
                continue;
            }
            eniOf.put(node.name(), isSelf ? Optional.of(self.eni()) : node.attribute("eni"));
            instanceOf.put(node.name(), isSelf ? self.instanceId() : node.attribute("instance-id"));
            if (eniOf.get(node.name()).isEmpty() && instanceOf.get(node.name()).isEmpty()) {
                problems.put(node.name(), "node '" + node.name() + "' has neither instance-id nor eni in kawari.nodes."
                        + node.name() + ", so where it runs cannot be checked; set instance-id there");
            }
        }
        Map<String, NetworkInterface> byId = new LinkedHashMap<>();
        List<String> enis = eniOf.values().stream().flatMap(Optional::stream).distinct().toList();
        if (!enis.isEmpty()) {
            describe(calls, ec2, "network-interface-id", enis).forEach(eni -> byId.put(eni.networkInterfaceId(), eni));
        }
        // Instances: configured, or learned from the attachment of a configured interface.
        Map<String, String> instanceOfNode = new LinkedHashMap<>();
        eniOf.forEach((node, eni) -> {
            Optional<String> attached = eni.map(byId::get).flatMap(NodePlacements::attachedInstance);
            instanceOf.get(node).or(() -> attached).ifPresent(instance -> instanceOfNode.put(node, instance));
        });
        List<String> instances = eniOf.keySet().stream()
                .filter(node -> deviceIndexes || eniOf.get(node).isEmpty())
                .map(instanceOfNode::get).filter(Objects::nonNull).distinct().toList();
        Map<String, Map<Integer, NetworkInterface>> interfacesOf = new TreeMap<>();
        if (!instances.isEmpty()) {
            for (NetworkInterface eni : describe(calls, ec2, "attachment.instance-id", instances)) {
                attachedInstance(eni).ifPresent(instance -> {
                    Integer index = eni.attachment().deviceIndex();
                    if (index != null) {
                        interfacesOf.computeIfAbsent(instance, key -> new TreeMap<>()).put(index, eni);
                    }
                });
            }
        }
        Map<String, Placement> placed = new LinkedHashMap<>();
        for (String node : eniOf.keySet()) {
            if (problems.containsKey(node)) {
                continue;
            }
            Optional<String> instance = Optional.ofNullable(instanceOfNode.get(node));
            NetworkInterface primary;
            if (eniOf.get(node).isPresent()) {
                String eni = eniOf.get(node).get();
                primary = byId.get(eni);
                if (primary == null) {
                    problems.put(node, "network interface " + eni + " of node '" + node + "' does not exist in "
                            + self.region());
                    continue;
                }
                Optional<String> attached = attachedInstance(primary);
                if (instanceOf.get(node).isPresent() && attached.isPresent()
                        && !attached.get().equals(instanceOf.get(node).get())) {
                    problems.put(node, "network interface " + eni + " of node '" + node + "' is attached to "
                            + attached.get() + ", not to the node's instance " + instanceOf.get(node).get());
                    continue;
                }
            } else {
                primary = Optional.ofNullable(interfacesOf.get(instance.orElseThrow())).map(byIndex -> byIndex.get(0))
                        .orElse(null);
                if (primary == null) {
                    problems.put(node, "instance " + instance.get() + " of node '" + node + "' was not found in "
                            + self.region() + " (no network interface is attached to it)");
                    continue;
                }
            }
            Map<Integer, String> byIndex = new TreeMap<>();
            instance.map(interfacesOf::get).ifPresent(found -> found.forEach((index, eni) ->
                    byIndex.put(index, eni.networkInterfaceId())));
            placed.put(node, new Placement(node, instance, primary.networkInterfaceId(), primary.subnetId(),
                    primary.availabilityZone(), primary.vpcId(), byIndex));
        }
        return new Survey(placed, problems);
    }

    /** The instance {@code eni} is attached to; a blank id counts as none (moto answers ""). */
    public static Optional<String> attachedInstance(NetworkInterface eni) {
        if (eni == null || eni.attachment() == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(eni.attachment().instanceId()).filter(id -> !id.isBlank());
    }

    private static List<NetworkInterface> describe(AwsOperation calls, Ec2Client ec2, String filter, List<String> values) {
        List<NetworkInterface> found = new ArrayList<>();
        String token = null;
        do {
            String page = token;
            var response = calls.act(DESCRIBE_NETWORK_INTERFACES, limits -> ec2.describeNetworkInterfaces(request ->
                    request.filters(Filter.builder().name(filter).values(values).build()).nextToken(page)
                            .overrideConfiguration(limits)));
            found.addAll(response.networkInterfaces());
            token = response.nextToken();
        } while (token != null && !token.isEmpty());
        return found;
    }
}
