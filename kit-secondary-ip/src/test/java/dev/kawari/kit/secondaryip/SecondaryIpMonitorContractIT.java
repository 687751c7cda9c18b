package dev.kawari.kit.secondaryip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kawari.spi.Monitor;
import dev.kawari.spi.Resource;
import dev.kawari.spi.TimeSource;
import dev.kawari.testkit.KitConfigs;
import dev.kawari.testkit.MonitorContractTest;
import dev.kawari.testkit.OperationContexts;
import dev.kawari.testkit.TestKitContext;
import dev.kawari.testkit.aws.AwsEndpointExtension;
import dev.kawari.testkit.aws.AwsFaultInjector;
import dev.kawari.testkit.aws.Ec2Topology;
import dev.kawari.testkit.aws.NetworkNamespace;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The kit TCK for the {@code secondary-ip} monitor, against the emulator, node A's system in a namespace. */
class SecondaryIpMonitorContractIT extends MonitorContractTest {
    @RegisterExtension
    static final AwsEndpointExtension aws = new AwsEndpointExtension();

    private static AwsFaultInjector faults;
    private static NetworkNamespace namespace;
    private static SecondaryIpResourceType type;
    private SecondaryIpCluster cluster;
    private final List<Resource> resources = new ArrayList<>();

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

    @AfterEach
    void removeResources() throws Exception {
        faults.passAll();
        for (Resource resource : resources) {
            try (resource) {
                resource.remove(OperationContexts.builder().node(cluster.identityA()).build());
            }
        }
        resources.clear();
    }

    @Override
    protected OperationContexts.Builder contexts() {
        return super.contexts().node(cluster.identityA());
    }

    /** Its target restored on this node. */
    @Override
    protected Monitor newHealthyMonitor() {
        Resource resource = resource(aws.endpoint().uri());
        try {
            resource.restore(OperationContexts.builder().node(cluster.identityA()).build());
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return monitor(resource);
    }

    /** Its target never restored: the address is on no interface. */
    @Override
    protected Monitor newUnhealthyMonitor() {
        return monitor(resource(aws.endpoint().uri()));
    }

    /** Every EC2 answer takes a minute. */
    @Override
    protected Monitor newHangingMonitor() {
        faults.slowAll(Duration.ofSeconds(60));
        return monitor(resource(faults.uri()));
    }

    private Resource resource(URI endpoint) {
        TestKitContext context = cluster.context(endpoint);
        Resource resource = type.create(KitConfigs.resource("secondary-ip", cluster.block()), context);
        assertThat(context.problems()).isEmpty();
        resources.add(resource);
        return resource;
    }

    private Monitor monitor(Resource target) {
        TestKitContext problems = cluster.context(aws.endpoint().uri());
        Monitor monitor = new SecondaryIpMonitorType().create(KitConfigs.monitor("secondary-ip", ""),
                problems.withResource(KitConfigs.RESOURCE_ID, target));
        assertThat(problems.problems()).isEmpty();
        return monitor;
    }
}
