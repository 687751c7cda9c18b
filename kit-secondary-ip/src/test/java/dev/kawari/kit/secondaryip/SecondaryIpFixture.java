package dev.kawari.kit.secondaryip;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.kawari.aws.InstanceMetadata;
import dev.kawari.aws.InterfaceAddresses;
import dev.kawari.spi.NodeIdentity;
import dev.kawari.spi.OperationContext;
import dev.kawari.spi.TimeSource;
import dev.kawari.testkit.FakeClock;
import dev.kawari.testkit.KitConfigs;
import dev.kawari.testkit.OperationContexts;
import dev.kawari.testkit.TestKitContext;
import dev.kawari.testkit.aws.AwsEndpoint;
import dev.kawari.testkit.aws.Ec2Topology;
import dev.kawari.testkit.aws.NetworkNamespace;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * Two nodes of an {@link Ec2Topology} in one subnet, each with its operating system in a network
 * namespace and its own kit type (as two hosts would have), a free address of the subnet, and the
 * contexts that make a call run "on" a node.
 */
final class SecondaryIpFixture implements AutoCloseable {
    /** Where the node's identity must not be read from in these tests: nothing listens there. */
    static final InstanceMetadata NO_IMDS = InstanceMetadata.at(URI.create("http://127.0.0.1:9"));

    final AwsEndpoint endpoint;
    final Ec2Client ec2;
    final Ec2Topology topology;
    final NetworkNamespace namespaceA;
    final NetworkNamespace namespaceB;
    /** The address moved between the nodes: a free one of their subnet. */
    final String address;
    /** The clock of the shared describes' freshness: {@link #nextTick()} moves it past the window. */
    final FakeClock ticks = new FakeClock();
    final SecondaryIpResourceType typeA;
    final SecondaryIpResourceType typeB;
    private final List<SecondaryIpResource> created = new ArrayList<>();

    SecondaryIpFixture(AwsEndpoint endpoint) {
        this(endpoint, Ec2Topology.builder().oneSubnet());
    }

    SecondaryIpFixture(AwsEndpoint endpoint, Ec2Topology.Builder topology) {
        this.endpoint = endpoint;
        this.ec2 = endpoint.ec2();
        this.topology = topology.create(ec2);
        this.address = Ec2Topology.freeAddress(ec2, this.topology.subnetOf(this.topology.nodeA()));
        this.namespaceA = NetworkNamespace.create();
        this.namespaceB = NetworkNamespace.create();
        this.typeA = type(namespaceA, ticks);
        this.typeB = type(namespaceB, ticks);
    }

    static SecondaryIpResourceType type(NetworkNamespace namespace, TimeSource ticks) {
        return new SecondaryIpResourceType(NO_IMDS, new InterfaceAddresses(namespace.ipCommand()),
                Duration.ofMillis(500), ticks);
    }

    /** The next monitor tick: what the checks of this one shared is stale now. */
    void nextTick() {
        ticks.advance(Duration.ofSeconds(1));
    }

    /** The cluster as the engine would give it to the kit: both nodes with their configured identity. */
    TestKitContext context(URI endpoint) {
        Map<String, NodeIdentity> nodes = new LinkedHashMap<>();
        nodes.put("node-a", identityA());
        nodes.put("node-b", identityB());
        return new TestKitContext("test-cluster", nodes).withSection("aws",
                ConfigFactory.parseString(this.endpoint.awsSectionHocon(endpoint)).getConfig("aws"));
    }

    SecondaryIpResource create(SecondaryIpResourceType type, String block, URI endpoint) {
        TestKitContext context = context(endpoint);
        SecondaryIpResource resource = (SecondaryIpResource) type.create(KitConfigs.resource("secondary-ip", block),
                context);
        assertThat(context.problems()).as("problems of %s", block).isEmpty();
        created.add(resource);
        return resource;
    }

    SecondaryIpResource create(SecondaryIpResourceType type, String block) {
        return create(type, block, endpoint.uri());
    }

    /** The standard block: the free address, everything else by default. */
    String block() {
        return "address = \"" + address + "\"";
    }

    NodeIdentity identityA() {
        return identity(topology.nodeA(), namespaceA);
    }

    NodeIdentity identityB() {
        return identity(topology.nodeB(), namespaceB);
    }

    private NodeIdentity identity(Ec2Topology.Node node, NetworkNamespace namespace) {
        return new NodeIdentity(node.name(), Map.of("instance-id", node.instanceId(), "eni", node.eni(),
                "region", endpoint.region(), "interface", namespace.device()));
    }

    OperationContext onA() {
        return on(identityA(), Duration.ofSeconds(30));
    }

    OperationContext onB() {
        return on(identityB(), Duration.ofSeconds(30));
    }

    static OperationContext on(NodeIdentity node, Duration deadline) {
        return OperationContexts.builder().node(node).deadline(deadline).build();
    }

    /** Every private address AWS shows on node A's interface. */
    List<String> onEniA() {
        return Ec2Topology.privateAddresses(ec2, topology.nodeA().eni());
    }

    /** Every private address AWS shows on node B's interface. */
    List<String> onEniB() {
        return Ec2Topology.privateAddresses(ec2, topology.nodeB().eni());
    }

    String local() {
        return address + "/32";
    }

    @Override
    public void close() {
        created.forEach(SecondaryIpResource::close);
        namespaceA.close();
        namespaceB.close();
        ec2.close();
    }
}
