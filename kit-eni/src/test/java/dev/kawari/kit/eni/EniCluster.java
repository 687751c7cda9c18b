package dev.kawari.kit.eni;

import com.typesafe.config.ConfigFactory;
import dev.kawari.spi.NodeIdentity;
import dev.kawari.testkit.TestKitContext;
import dev.kawari.testkit.aws.AwsEndpoint;
import dev.kawari.testkit.aws.Ec2Topology;
import dev.kawari.testkit.aws.NetworkNamespace;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The two nodes of a one-subnet topology with one dedicated ENI as the contract suites see them: node
 * A's system in a namespace that has the ENI's interface, and the kit contexts the engine would give.
 */
record EniCluster(AwsEndpoint endpoint, Ec2Topology topology) {
    /** A new topology; {@code namespace}'s link {@code eni0} gets the new ENI's MAC address. */
    static EniCluster create(AwsEndpoint endpoint, NetworkNamespace namespace) {
        Ec2Topology topology = Ec2Topology.builder().oneSubnet().dedicatedEnis(1).create(endpoint.ec2());
        try {
            namespace.deleteLink(EniFixture.link(0));
        } catch (IllegalStateException e) {
            // the first topology: no link yet
        }
        namespace.addLink(EniFixture.link(0), topology.dedicatedEni().mac());
        return new EniCluster(endpoint, topology);
    }

    String block() {
        return "eni-id = \"" + topology.dedicatedEni().id() + "\"";
    }

    NodeIdentity identityA() {
        return identity(topology.nodeA());
    }

    NodeIdentity identityB() {
        return identity(topology.nodeB());
    }

    private NodeIdentity identity(Ec2Topology.Node node) {
        return new NodeIdentity(node.name(), Map.of("instance-id", node.instanceId(), "eni", node.eni(), "region",
                endpoint.region()));
    }

    /** The context of a resource block: both nodes, the aws section pointing at {@code uri}. */
    TestKitContext context(URI uri) {
        Map<String, NodeIdentity> nodes = new LinkedHashMap<>();
        nodes.put("node-a", identityA());
        nodes.put("node-b", identityB());
        return new TestKitContext("test-cluster", nodes).withSection("aws",
                ConfigFactory.parseString(endpoint.awsSectionHocon(uri)).getConfig("aws"));
    }
}
