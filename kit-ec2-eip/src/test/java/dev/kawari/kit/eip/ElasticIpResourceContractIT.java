package dev.kawari.kit.eip;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.kawari.spi.NodeIdentity;
import dev.kawari.spi.Resource;
import dev.kawari.spi.TimeSource;
import dev.kawari.testkit.KitConfigs;
import dev.kawari.testkit.OperationContexts;
import dev.kawari.testkit.ResourceContractTest;
import dev.kawari.testkit.TestKitContext;
import dev.kawari.testkit.aws.AwsEndpointExtension;
import dev.kawari.testkit.aws.AwsFaultInjector;
import dev.kawari.testkit.aws.Ec2Topology;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The kit TCK for {@code ec2-eip}, against the emulator. */
class ElasticIpResourceContractIT extends ResourceContractTest {
    @RegisterExtension
    static final AwsEndpointExtension aws = new AwsEndpointExtension();

    private static AwsFaultInjector faults;
    private static ElasticIpResourceType type;
    private Ec2Topology topology;

    @BeforeAll
    static void start() throws Exception {
        faults = AwsFaultInjector.start(aws.endpoint().uri());
        type = new ElasticIpResourceType(ElasticIpFixture.NO_IMDS, Duration.ofMillis(200), TimeSource.system());
    }

    @AfterAll
    static void stop() {
        if (faults != null) {
            faults.close();
        }
    }

    @Override
    protected void resetEnvironment() {
        faults.passAll();
        topology = Ec2Topology.create(aws.endpoint().ec2());
    }

    @Override
    protected OperationContexts.Builder contexts() {
        Ec2Topology.Node node = topology.nodeA();
        return OperationContexts.builder().node(new NodeIdentity(node.name(), Map.of("instance-id", node.instanceId(),
                "eni", node.eni(), "region", aws.endpoint().region())));
    }

    @Override
    protected Resource newResource() {
        return create("allocation-id = \"" + topology.address().allocationId() + "\"", aws.endpoint().uri());
    }

    /** AssociateAddress takes a minute (reads stay fast, so that the suite's clean-up can remove it). */
    @Override
    protected Resource newSlowResource() {
        faults.fail(request -> request.is("AssociateAddress"), AwsFaultInjector.Fault.delay(Duration.ofSeconds(60)));
        return create("allocation-id = \"" + topology.address().allocationId() + "\"", faults.uri());
    }

    /** An allocation that does not exist. */
    @Override
    protected Resource newFailingResource() {
        return create("allocation-id = \"eipalloc-0123456789abcdef0\"", aws.endpoint().uri());
    }

    private static Resource create(String block, URI endpoint) {
        TestKitContext context = new TestKitContext().withSection("aws",
                ConfigFactory.parseString(aws.endpoint().awsSectionHocon(endpoint)).getConfig("aws"));
        Resource resource = type.create(KitConfigs.resource("ec2-eip", block), context);
        assertThat(context.problems()).isEmpty();
        return resource;
    }
}
