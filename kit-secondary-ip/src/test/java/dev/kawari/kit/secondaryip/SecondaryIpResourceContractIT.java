package dev.kawari.kit.secondaryip;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The kit TCK for the {@code secondary-ip} resource, against the emulator, node A's system in a namespace. */
class SecondaryIpResourceContractIT extends ResourceContractTest {
    @RegisterExtension
    static final AwsEndpointExtension aws = new AwsEndpointExtension();

    private static AwsFaultInjector faults;
    private static NetworkNamespace namespace;
    private static SecondaryIpResourceType type;
    private SecondaryIpCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        faults = AwsFaultInjector.start(aws.endpoint().uri());
        namespace = NetworkNamespace.create();
        type = new SecondaryIpResourceType(SecondaryIpFixture.NO_IMDS,
                new dev.kawari.aws.InterfaceAddresses(namespace.ipCommand()), Duration.ofMillis(200), TimeSource.system());
    }

    @AfterAll
    static void stop() {
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
        cluster = new SecondaryIpCluster(aws.endpoint(), Ec2Topology.builder().oneSubnet().create(aws.endpoint().ec2()),
                namespace);
    }

    @Override
    protected OperationContexts.Builder contexts() {
        return OperationContexts.builder().node(cluster.identityA());
    }

    @Override
    protected Resource newResource() {
        return create(aws.endpoint().uri());
    }

    /** AssignPrivateIpAddresses takes a minute (reads stay fast, so that the suite's clean-up can remove it). */
    @Override
    protected Resource newSlowResource() {
        faults.fail(request -> request.is("AssignPrivateIpAddresses"), AwsFaultInjector.Fault.delay(Duration.ofSeconds(60)));
        return create(faults.uri());
    }

    /** The node's role may not assign addresses. */
    @Override
    protected Resource newFailingResource() {
        faults.fail(request -> request.is("AssignPrivateIpAddresses"), AwsFaultInjector.Fault.error(403,
                "UnauthorizedOperation", "You are not authorized to perform this operation."));
        return create(faults.uri());
    }

    private Resource create(URI endpoint) {
        TestKitContext context = cluster.context(endpoint);
        Resource resource = type.create(KitConfigs.resource("secondary-ip", cluster.block()), context);
        assertThat(context.problems()).isEmpty();
        return resource;
    }
}
