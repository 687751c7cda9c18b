package dev.kawari.kit.routetable;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.kawari.aws.InterfaceAddresses;
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
import dev.kawari.testkit.aws.NetworkNamespace;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The kit TCK for {@code ec2-route-table}, against the emulator, the node's OS in a namespace. */
class RouteTableResourceContractIT extends ResourceContractTest {
    @RegisterExtension
    static final AwsEndpointExtension aws = new AwsEndpointExtension();

    private static NetworkNamespace namespace;
    private static AwsFaultInjector faults;
    private static RouteTableResourceType type;
    private Ec2Topology topology;

    @BeforeAll
    static void startNode() throws Exception {
        namespace = NetworkNamespace.create();
        faults = AwsFaultInjector.start(aws.endpoint().uri());
        type = new RouteTableResourceType(RouteTableFixture.NO_IMDS, new InterfaceAddresses(namespace.ipCommand()),
                Duration.ofMillis(200), TimeSource.system());
    }

    @AfterAll
    static void stopNode() {
        if (faults != null) {
            faults.close();
        }
        if (namespace != null) {
            namespace.close();
        }
    }

    @Override
    protected void resetEnvironment() {
        faults.passAll();
        topology = Ec2Topology.create(aws.endpoint().ec2());
        assertThat(namespace.addresses()).as("the node's addresses before a test").noneMatch(
                address -> address.startsWith("198.51.100."));
    }

    @Override
    protected OperationContexts.Builder contexts() {
        Ec2Topology.Node node = topology.nodeA();
        return OperationContexts.builder().node(new NodeIdentity(node.name(), Map.of("instance-id", node.instanceId(),
                "eni", node.eni(), "region", aws.endpoint().region(), "interface", namespace.device())));
    }

    @Override
    protected Resource newResource() {
        return create(tables(topology.routeTableIds()), aws.endpoint().uri());
    }

    /** Every AWS answer takes a minute. */
    @Override
    protected Resource newSlowResource() {
        faults.slowAll(Duration.ofSeconds(60));
        return create(tables(topology.routeTableIds()), faults.uri());
    }

    /** A route table that does not exist. */
    @Override
    protected Resource newFailingResource() {
        return create(tables(List.of("rtb-0123456789abcdef0")), aws.endpoint().uri());
    }

    private static String tables(List<String> ids) {
        return "address = \"198.51.100.10\", route-tables = [" + String.join(", ", ids.stream().map(id -> "\"" + id + "\"")
                .toList()) + "]";
    }

    private static Resource create(String block, URI endpoint) {
        TestKitContext context = new TestKitContext().withSection("aws",
                ConfigFactory.parseString(aws.endpoint().awsSectionHocon(endpoint)).getConfig("aws"));
        Resource resource = type.create(KitConfigs.resource("ec2-route-table", block), context);
        assertThat(context.problems()).isEmpty();
        return resource;
    }
}
