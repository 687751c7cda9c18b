package dev.kawari.kit.secondaryip;

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
 * The two nodes of a one-subnet topology as the contract suites see them: node A's system in a
 * namespace, a free address of the subnet, and the kit contexts the engine would give.
 */
record SecondaryIpCluster(AwsEndpoint endpoint, Ec2Topology topology, NetworkNamespace namespace, String address) {
    SecondaryIpCluster(AwsEndpoint endpoint, Ec2Topology topology, NetworkNamespace namespace) {
        this(endpoint, topology, namespace, Ec2Topology.freeAddress(endpoint.ec2(), topology.subnetOf(topology.nodeA())));
    }

    String block() {
        return "address = \"" + address + "\"";
    }

    NodeIdentity identityA() {
        return new NodeIdentity("node-a", Map.of("instance-id", topology.nodeA().instanceId(), "eni",
                topology.nodeA().eni(), "region", endpoint.region(), "interface", namespace.device()));
    }

    NodeIdentity identityB() {
        return new NodeIdentity("node-b", Map.of("instance-id", topology.nodeB().instanceId(), "eni",
                topology.nodeB().eni(), "region", endpoint.region()));
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
