package dev.kawari.kit.route53;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The kit TCK for {@code route53}, against the emulator.
 *
 * <p>The resource under test has a {@code sorry-address}: the TCK requires a removed resource's check
 * to be not Healthy, and without a sorry address remove leaves the record naming this node by design
 * (the next node's restore repoints it), so its check rightly stays Healthy after remove.
 */
class Route53ResourceContractIT extends ResourceContractTest {
    @RegisterExtension
    static final AwsEndpointExtension aws = new AwsEndpointExtension();

    private static AwsFaultInjector faults;
    private static Route53ResourceType type;
    private Ec2Topology topology;
    private String zoneId;

    @BeforeAll
    static void start() throws Exception {
        faults = AwsFaultInjector.start(aws.endpoint().uri());
        type = new Route53ResourceType(Route53Fixture.NO_IMDS, Duration.ofMillis(200), TimeSource.system(),
                TimeSource.system());
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
        try (var route53 = aws.endpoint().route53()) {
            zoneId = Route53Fixture.privateZone(route53, Route53Fixture.ZONE, topology.vpcId(), aws.endpoint().region());
        }
    }

    @Override
    protected OperationContexts.Builder contexts() {
        return OperationContexts.builder().node(Route53Fixture.identity(topology.nodeA(), aws.endpoint().region()));
    }

    private String block() {
        return "hosted-zone-id = \"" + zoneId + "\", name = \"" + Route53Fixture.NAME + "\","
                + " sorry-address = \"198.51.100.99\"";
    }

    @Override
    protected Resource newResource() {
        return create(block(), aws.endpoint().uri());
    }

    /**
     * Route 53 never reports the change INSYNC (the proxy keeps it PENDING): restore polls until its
     * deadline. No sorry address, so that the suite's clean-up remove makes no change to wait for.
     */
    @Override
    protected Resource newSlowResource() {
        faults.keepRoute53ChangesPending(Integer.MAX_VALUE);
        return create("hosted-zone-id = \"" + zoneId + "\", name = \"" + Route53Fixture.NAME + "\"", faults.uri());
    }

    /** A hosted zone that does not exist. */
    @Override
    protected Resource newFailingResource() {
        return create("hosted-zone-id = \"Z0123456789ABCDEFGHIJ\", name = \"" + Route53Fixture.NAME + "\"",
                aws.endpoint().uri());
    }

    private static Resource create(String block, URI endpoint) {
        TestKitContext context = new TestKitContext().withSection("aws",
                ConfigFactory.parseString(aws.endpoint().awsSectionHocon(endpoint)).getConfig("aws"));
        Resource resource = type.create(KitConfigs.resource("route53", block), context);
        assertThat(context.problems()).isEmpty();
        return resource;
    }
}
