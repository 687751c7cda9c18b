package dev.kawari.kit.routetable;

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
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * Two nodes of a standard {@link Ec2Topology}, each with its operating system in a network namespace
 * and its own kit type (as two hosts would have), and the contexts that make a call run "on" a node.
 */
final class RouteTableFixture implements AutoCloseable {
    static final String VIP = "198.51.100.10";
    /** Where the node's identity must not be read from in these tests: nothing listens there. */
    static final InstanceMetadata NO_IMDS = InstanceMetadata.at(URI.create("http://127.0.0.1:9"));

    final AwsEndpoint endpoint;
    final Ec2Client ec2;
    final Ec2Topology topology;
    final NetworkNamespace namespaceA;
    final NetworkNamespace namespaceB;
    /** The clock of the shared describes' freshness: {@link #nextTick()} moves it past the window. */
    final FakeClock ticks = new FakeClock();
    final RouteTableResourceType typeA;
    final RouteTableResourceType typeB;
    private final List<RouteTableResource> created = new ArrayList<>();

    RouteTableFixture(AwsEndpoint endpoint) {
        this.endpoint = endpoint;
        this.ec2 = endpoint.ec2();
        this.topology = Ec2Topology.create(ec2);
        this.namespaceA = NetworkNamespace.create();
        this.namespaceB = NetworkNamespace.create();
        this.typeA = type(namespaceA, ticks);
        this.typeB = type(namespaceB, ticks);
    }

    static RouteTableResourceType type(NetworkNamespace namespace, TimeSource ticks) {
        return new RouteTableResourceType(NO_IMDS, new InterfaceAddresses(namespace.ipCommand()),
                Duration.ofMillis(500), ticks);
    }

    /** The next monitor tick: what the checks of this one shared is stale now. */
    void nextTick() {
        ticks.advance(Duration.ofSeconds(1));
    }

    /** A resource of {@code type} with {@code block} and the {@code aws} section pointing at {@code endpoint}. */
    RouteTableResource create(RouteTableResourceType type, String block, URI endpoint) {
        TestKitContext context = new TestKitContext().withSection("aws",
                ConfigFactory.parseString(this.endpoint.awsSectionHocon(endpoint)).getConfig("aws"));
        RouteTableResource resource = (RouteTableResource) type.create(KitConfigs.resource("ec2-route-table", block),
                context);
        assertThat(context.problems()).as("problems of %s", block).isEmpty();
        created.add(resource);
        return resource;
    }

    RouteTableResource create(RouteTableResourceType type, String block) {
        return create(type, block, endpoint.uri());
    }

    /** The standard block: the VIP over the three route tables. */
    String block() {
        return "address = \"" + VIP + "\", route-tables = [" + String.join(", ", topology.routeTableIds().stream()
                .map(id -> "\"" + id + "\"").toList()) + "]";
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

    /** Where every route table of the VPC sends the VIP. */
    Map<String, java.util.Optional<String>> targets() {
        return topology.routeTargets(ec2, VIP + "/32");
    }

    @Override
    public void close() {
        for (RouteTableResource resource : created) {
            resource.close();
        }
        namespaceA.close();
        namespaceB.close();
        ec2.close();
    }
}
