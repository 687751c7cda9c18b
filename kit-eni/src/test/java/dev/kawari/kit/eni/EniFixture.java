package dev.kawari.kit.eni;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.kawari.aws.HostCommands;
import dev.kawari.aws.InstanceMetadata;
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
import java.util.Optional;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * Two nodes of an {@link Ec2Topology} in one subnet with dedicated ENIs, each node with its
 * operating system in a network namespace and its own kit type (as two hosts would have), and the
 * contexts that make a call run "on" a node. In each namespace, a link with a dedicated ENI's MAC
 * address stands for the interface the attachment hot-plugs ({@link #plugIn}).
 */
final class EniFixture implements AutoCloseable {
    /** Where the node's identity must not be read from in these tests: nothing listens there. */
    static final InstanceMetadata NO_IMDS = InstanceMetadata.at(URI.create("http://127.0.0.1:9"));

    final AwsEndpoint endpoint;
    final Ec2Client ec2;
    final Ec2Topology topology;
    final NetworkNamespace namespaceA;
    final NetworkNamespace namespaceB;
    /** The clock of the shared describes' freshness: {@link #nextTick()} moves it past the window. */
    final FakeClock ticks = new FakeClock();
    final EniResourceType typeA;
    final EniResourceType typeB;
    private final List<EniResource> created = new ArrayList<>();

    EniFixture(AwsEndpoint endpoint) {
        this(endpoint, Ec2Topology.builder().oneSubnet().dedicatedEnis(1));
    }

    EniFixture(AwsEndpoint endpoint, Ec2Topology.Builder topology) {
        this.endpoint = endpoint;
        this.ec2 = endpoint.ec2();
        this.topology = topology.create(ec2);
        this.namespaceA = NetworkNamespace.create();
        this.namespaceB = NetworkNamespace.create();
        this.typeA = type(namespaceA, ticks);
        this.typeB = type(namespaceB, ticks);
    }

    static EniResourceType type(NetworkNamespace namespace, TimeSource ticks) {
        return new EniResourceType(NO_IMDS, new HostCommands(namespace.inside(List.of())), Duration.ofMillis(500), ticks);
    }

    /** The link standing for dedicated ENI {@code index} in a namespace. */
    static String link(int index) {
        return "eni" + index;
    }

    /** Gives {@code namespace} the interface of dedicated ENI {@code index}, as its attachment would. */
    void plugIn(NetworkNamespace namespace, int index) {
        namespace.addLink(link(index), topology.dedicatedEnis().get(index).mac());
    }

    /** The next monitor tick: what the checks of this one shared is stale now. */
    void nextTick() {
        ticks.advance(Duration.ofSeconds(1));
    }

    TestKitContext context(URI endpoint) {
        Map<String, NodeIdentity> nodes = new LinkedHashMap<>();
        nodes.put("node-a", identityA());
        nodes.put("node-b", identityB());
        return new TestKitContext("test-cluster", nodes).withSection("aws",
                ConfigFactory.parseString(this.endpoint.awsSectionHocon(endpoint)).getConfig("aws"));
    }

    EniResource create(EniResourceType type, String block, URI endpoint) {
        TestKitContext context = context(endpoint);
        EniResource resource = (EniResource) type.create(KitConfigs.resource("eni", block), context);
        assertThat(context.problems()).as("problems of %s", block).isEmpty();
        created.add(resource);
        return resource;
    }

    EniResource create(EniResourceType type, String block) {
        return create(type, block, endpoint.uri());
    }

    /** The standard block: the first dedicated ENI, everything else by default. */
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
        return new NodeIdentity(node.name(), Map.of("instance-id", node.instanceId(), "eni", node.eni(),
                "region", endpoint.region()));
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

    /** The instance the first dedicated ENI is attached to, if any. */
    Optional<String> attachedTo() {
        return Ec2Topology.attachedInstance(ec2, topology.dedicatedEni().id());
    }

    /** The first dedicated ENI's address with the subnet's prefix, as the interface carries it. */
    String cidr() {
        return topology.dedicatedEni().privateAddress() + "/24";
    }

    @Override
    public void close() {
        created.forEach(EniResource::close);
        namespaceA.close();
        namespaceB.close();
        ec2.close();
    }
}
