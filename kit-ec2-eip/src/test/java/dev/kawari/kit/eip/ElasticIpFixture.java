package dev.kawari.kit.eip;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
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
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.ec2.Ec2Client;

/** Two nodes of an {@link Ec2Topology}, each with its own kit type (as two hosts would have). */
final class ElasticIpFixture implements AutoCloseable {
    static final InstanceMetadata NO_IMDS = InstanceMetadata.at(URI.create("http://127.0.0.1:9"));

    final AwsEndpoint endpoint;
    final Ec2Client ec2;
    final Ec2Topology topology;
    /** The clock of the shared describes' freshness: {@link #nextTick()} moves it past the window. */
    final FakeClock ticks = new FakeClock();
    final ElasticIpResourceType typeA = type(ticks);
    final ElasticIpResourceType typeB = type(ticks);
    private final List<ElasticIpResource> created = new ArrayList<>();

    ElasticIpFixture(AwsEndpoint endpoint) {
        this(endpoint, Ec2Topology.create(endpoint.ec2()));
    }

    ElasticIpFixture(AwsEndpoint endpoint, Ec2Topology topology) {
        this.endpoint = endpoint;
        this.ec2 = endpoint.ec2();
        this.topology = topology;
    }

    static ElasticIpResourceType type(TimeSource ticks) {
        return new ElasticIpResourceType(NO_IMDS, Duration.ofMillis(500), ticks);
    }

    /** The next monitor tick: what the checks of this one shared is stale now. */
    void nextTick() {
        ticks.advance(Duration.ofSeconds(1));
    }

    ElasticIpResource create(ElasticIpResourceType type, String block, URI endpoint) {
        TestKitContext context = new TestKitContext().withSection("aws",
                ConfigFactory.parseString(this.endpoint.awsSectionHocon(endpoint)).getConfig("aws"));
        ElasticIpResource resource = (ElasticIpResource) type.create(KitConfigs.resource("ec2-eip", block), context);
        assertThat(context.problems()).as("problems of %s", block).isEmpty();
        created.add(resource);
        return resource;
    }

    ElasticIpResource create(ElasticIpResourceType type, String block) {
        return create(type, block, endpoint.uri());
    }

    String block() {
        return "allocation-id = \"" + topology.address().allocationId() + "\"";
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

    Optional<String> associatedEni() {
        return Ec2Topology.associatedEni(ec2, topology.address().allocationId());
    }

    @Override
    public void close() {
        created.forEach(ElasticIpResource::close);
        ec2.close();
    }
}
