package dev.kawari.testkit.aws;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Address;
import software.amazon.awssdk.services.ec2.model.DomainType;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceNetworkInterface;
import software.amazon.awssdk.services.ec2.model.Route;
import software.amazon.awssdk.services.ec2.model.RouteTable;

/**
 * A small EC2 world built in an emulator (or a real account) for tests: a VPC ({@value #VPC_CIDR} unless
 * {@link Builder#vpcCidr} says otherwise)
 * with a subnet in each of two availability zones, one instance in each with its primary ENI (or both
 * in the first subnet, {@link Builder#oneSubnet()}), three route tables (the first two associated
 * with the subnets), Elastic IP allocations, and dedicated ENIs in the first subnet.
 *
 * <pre>{@code
 * Ec2Topology topology = Ec2Topology.create(endpoint.ec2());
 * String nodes = topology.nodesHocon();            // kawari.nodes for node-a and node-b
 * topology.routeTargets(ec2, "198.51.100.10/32");  // where each route table sends the address
 * }</pre>
 *
 * @param vpcId the VPC
 * @param subnets one per availability zone
 * @param nodes {@code node-a} in the first subnet, {@code node-b} in the second
 * @param routeTableIds the route tables created (the VPC's main table is not among them)
 * @param addresses the Elastic IPs allocated
 * @param dedicatedEnis network interfaces created in the first subnet, attached to nothing
 */
public record Ec2Topology(String vpcId, List<Subnet> subnets, List<Node> nodes, List<String> routeTableIds,
        List<ElasticIp> addresses, List<Eni> dedicatedEnis) {

    /** The VPC's CIDR. */
    public static final String VPC_CIDR = "10.0.0.0/16";

    /** A subnet: its id, zone and CIDR. */
    public record Subnet(String id, String availabilityZone, String cidr) {
    }

    /**
     * An instance playing a Kawari node.
     *
     * @param name the node name used in configurations ({@code node-a})
     * @param instanceId {@code i-…}
     * @param eni its primary network interface
     * @param mac the primary interface's MAC address
     * @param privateAddress the primary private IPv4 address
     * @param availabilityZone where it runs
     */
    public record Node(String name, String instanceId, String eni, String mac, String privateAddress,
            String availabilityZone) {
    }

    /** An Elastic IP allocation. */
    public record ElasticIp(String allocationId, String publicIp) {
    }

    /** A network interface of its own (not an instance's primary one). */
    public record Eni(String id, String mac, String privateAddress, String subnetId) {
    }

    public Ec2Topology {
        Objects.requireNonNull(vpcId, "vpcId");
        subnets = List.copyOf(subnets);
        nodes = List.copyOf(nodes);
        routeTableIds = List.copyOf(routeTableIds);
        addresses = List.copyOf(addresses);
        dedicatedEnis = List.copyOf(dedicatedEnis);
    }

    /** The standard topology: two nodes, three route tables, one Elastic IP. */
    public static Ec2Topology create(Ec2Client ec2) {
        return builder().create(ec2);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Node nodeA() {
        return nodes.get(0);
    }

    public Node nodeB() {
        return nodes.get(1);
    }

    /** The node named {@code name}. */
    public Node node(String name) {
        return nodes.stream().filter(node -> node.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node " + name + " in " + nodes));
    }

    public ElasticIp address() {
        return addresses.get(0);
    }

    /** The first dedicated ENI. */
    public Eni dedicatedEni() {
        return dedicatedEnis.get(0);
    }

    /** The subnet {@code node}'s primary ENI is in. */
    public Subnet subnetOf(Node node) {
        return subnets.stream().filter(subnet -> subnet.availabilityZone().equals(node.availabilityZone())).findFirst()
                .orElseThrow();
    }

    /**
     * The first address of {@code subnet}, from its 50th on, that no network interface has: a free
     * address for a secondary IP (the emulator gives interfaces random addresses of the subnet).
     */
    public static String freeAddress(Ec2Client ec2, Subnet subnet) {
        java.util.Set<String> used = new java.util.HashSet<>();
        ec2.describeNetworkInterfaces(request -> request.filters(Filter.builder().name("subnet-id").values(subnet.id())
                .build())).networkInterfaces().forEach(eni -> eni.privateIpAddresses()
                        .forEach(address -> used.add(address.privateIpAddress())));
        String prefix = subnet.cidr().substring(0, subnet.cidr().lastIndexOf('.') + 1);
        for (int host = 50; host < 250; host++) {
            if (!used.contains(prefix + host)) {
                return prefix + host;
            }
        }
        throw new IllegalStateException("no free address in " + subnet);
    }

    /** Every private address AWS shows on {@code eni}, the primary first. */
    public static List<String> privateAddresses(Ec2Client ec2, String eni) {
        return ec2.describeNetworkInterfaces(request -> request.networkInterfaceIds(eni)).networkInterfaces().get(0)
                .privateIpAddresses().stream().map(address -> address.privateIpAddress()).toList();
    }

    /** The instance {@code eni} is attached to, or empty (a blank id counts as none). */
    public static Optional<String> attachedInstance(Ec2Client ec2, String eni) {
        var found = ec2.describeNetworkInterfaces(request -> request.networkInterfaceIds(eni)).networkInterfaces().get(0);
        return Optional.ofNullable(found.attachment()).map(attachment -> attachment.instanceId())
                .filter(id -> !id.isBlank());
    }

    /**
     * {@code nodes { node-a { instance-id = …, eni = …, region = … }, node-b { … } }} for a
     * {@code kawari} block; {@code interfaces} gives a node's OS interface name when it has one.
     */
    public String nodesHocon(String region, Map<String, String> interfaces) {
        StringBuilder hocon = new StringBuilder("nodes {\n");
        int priority = 1;
        for (Node node : nodes) {
            hocon.append("  ").append(node.name()).append(" { priority = ").append(priority++)
                    .append(", instance-id = \"").append(node.instanceId()).append("\", eni = \"").append(node.eni())
                    .append("\", region = \"").append(region).append("\"");
            String device = interfaces.get(node.name());
            if (device != null) {
                hocon.append(", interface = \"").append(device).append("\"");
            }
            hocon.append(" }\n");
        }
        return hocon.append("}\n").toString();
    }

    /** Where each of the VPC's route tables (the main one included) sends {@code cidr}: an ENI id, or empty. */
    public Map<String, Optional<String>> routeTargets(Ec2Client ec2, String cidr) {
        Map<String, Optional<String>> targets = new LinkedHashMap<>();
        Filter inVpc = Filter.builder().name("vpc-id").values(vpcId).build();
        for (RouteTable table : ec2.describeRouteTables(request -> request.filters(inVpc)).routeTables()) {
            Optional<String> target = table.routes().stream()
                    .filter(route -> cidr.equals(route.destinationCidrBlock()))
                    .map(Route::networkInterfaceId)
                    .filter(Objects::nonNull)
                    .findFirst();
            targets.put(table.routeTableId(), target);
        }
        return targets;
    }

    /** The ENI {@code allocationId} is associated with, or empty (a blank id counts as none). */
    public static Optional<String> associatedEni(Ec2Client ec2, String allocationId) {
        Address address = ec2.describeAddresses(request -> request.allocationIds(allocationId)).addresses().get(0);
        return Optional.ofNullable(address.networkInterfaceId()).filter(eni -> !eni.isBlank());
    }

    /** Builds a topology; the default is two nodes, three route tables and one Elastic IP. */
    public static final class Builder {
        private int routeTables = 3;
        private int elasticIps = 1;
        private String vpcCidr = VPC_CIDR;
        private int dedicatedEnis;
        private boolean oneSubnet;

        private Builder() {
        }

        /**
         * The VPC's CIDR, {@code A.B.0.0/16} (default {@value Ec2Topology#VPC_CIDR}); the subnets are
         * {@code A.B.1.0/24} and {@code A.B.2.0/24}. Two VPCs that are peered (a DR pair in two
         * regions) need CIDRs that do not overlap.
         */
        public Builder vpcCidr(String cidr) {
            if (!cidr.matches("\\d{1,3}\\.\\d{1,3}\\.0\\.0/16")) {
                throw new IllegalArgumentException("the test topology's VPC CIDR must be A.B.0.0/16, got " + cidr);
            }
            this.vpcCidr = cidr;
            return this;
        }

        /** Both nodes in the first subnet (one AZ), as the secondary-IP and ENI scenarios need. */
        public Builder oneSubnet() {
            this.oneSubnet = true;
            return this;
        }

        /** Creates {@code count} network interfaces in the first subnet, attached to nothing. */
        public Builder dedicatedEnis(int count) {
            this.dedicatedEnis = count;
            return this;
        }

        public Builder routeTables(int count) {
            this.routeTables = count;
            return this;
        }

        public Builder elasticIps(int count) {
            this.elasticIps = count;
            return this;
        }

        /** Creates everything through {@code ec2}. */
        public Ec2Topology create(Ec2Client ec2) {
            String region = ec2.serviceClientConfiguration().region().id();
            String vpc = ec2.createVpc(request -> request.cidrBlock(vpcCidr)).vpc().vpcId();
            String prefix = vpcCidr.substring(0, vpcCidr.indexOf(".0.0/16"));
            List<Subnet> subnets = new ArrayList<>();
            String[] zones = {region + "a", region + "b"};
            for (int i = 0; i < zones.length; i++) {
                String cidr = prefix + "." + (i + 1) + ".0/24";
                String zone = zones[i];
                String subnet = ec2.createSubnet(request -> request.vpcId(vpc).cidrBlock(cidr).availabilityZone(zone))
                        .subnet().subnetId();
                subnets.add(new Subnet(subnet, zone, cidr));
            }
            List<Node> nodes = new ArrayList<>();
            String[] names = {"node-a", "node-b"};
            for (int i = 0; i < names.length; i++) {
                Subnet subnet = subnets.get(oneSubnet ? 0 : i);
                Instance instance = ec2.runInstances(request -> request.imageId("ami-12c6146b").instanceType("t3.micro")
                        .minCount(1).maxCount(1).subnetId(subnet.id())).instances().get(0);
                InstanceNetworkInterface primary = instance.networkInterfaces().stream()
                        .filter(eni -> eni.attachment() == null || eni.attachment().deviceIndex() == 0)
                        .findFirst().orElseThrow();
                nodes.add(new Node(names[i], instance.instanceId(), primary.networkInterfaceId(),
                        primary.macAddress(), instance.privateIpAddress(), subnet.availabilityZone()));
            }
            List<String> tables = new ArrayList<>();
            for (int i = 0; i < routeTables; i++) {
                String table = ec2.createRouteTable(request -> request.vpcId(vpc)).routeTable().routeTableId();
                if (i < subnets.size()) {
                    String subnet = subnets.get(i).id();
                    ec2.associateRouteTable(request -> request.routeTableId(table).subnetId(subnet));
                }
                tables.add(table);
            }
            List<ElasticIp> addresses = new ArrayList<>();
            for (int i = 0; i < elasticIps; i++) {
                var allocated = ec2.allocateAddress(request -> request.domain(DomainType.VPC));
                addresses.add(new ElasticIp(allocated.allocationId(), allocated.publicIp()));
            }
            List<Eni> enis = new ArrayList<>();
            for (int i = 0; i < dedicatedEnis; i++) {
                var created = ec2.createNetworkInterface(request -> request.subnetId(subnets.get(0).id()))
                        .networkInterface();
                enis.add(new Eni(created.networkInterfaceId(), created.macAddress(), created.privateIpAddress(),
                        created.subnetId()));
            }
            return new Ec2Topology(vpc, subnets, nodes, tables, addresses, enis);
        }
    }
}
