package dev.kawari.kit.route53;

import dev.kawari.spi.Monitor;
import dev.kawari.testkit.MonitorContractTest;
import dev.kawari.testkit.OperationContexts;
import dev.kawari.testkit.aws.AwsEndpointExtension;
import dev.kawari.testkit.aws.AwsFaultInjector;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.route53.model.RRType;

/**
 * The monitor TCK for monitor type {@code route53}, against the emulator: a record naming this node,
 * one naming another, and a Route 53 API that does not answer for a minute.
 */
class Route53MonitorContractIT extends MonitorContractTest {
    @RegisterExtension
    static final AwsEndpointExtension aws = new AwsEndpointExtension();

    private Route53Fixture fixture;
    private AwsFaultInjector faults;

    @BeforeEach
    void start() throws Exception {
        fixture = new Route53Fixture(aws.endpoint());
        faults = AwsFaultInjector.start(aws.endpoint().uri());
    }

    @AfterEach
    void stop() {
        faults.close();
        fixture.close();
    }

    @Override
    protected OperationContexts.Builder contexts() {
        return OperationContexts.builder().node(fixture.identityA());
    }

    @Override
    protected Monitor newHealthyMonitor() {
        fixture.put(Route53Fixture.NAME, RRType.A, 10, fixture.topology.nodeA().privateAddress());
        return monitorOf(fixture.create(fixture.typeA, fixture.block()));
    }

    @Override
    protected Monitor newUnhealthyMonitor() {
        fixture.put(Route53Fixture.NAME, RRType.A, 10, fixture.topology.nodeB().privateAddress());
        return monitorOf(fixture.create(fixture.typeA, fixture.block()));
    }

    @Override
    protected Monitor newHangingMonitor() {
        faults.slowAll(Duration.ofSeconds(60));
        return monitorOf(fixture.create(fixture.typeA, fixture.block(), faults.uri()));
    }

    /** The monitor type's monitor of {@code resource}, as the engine builds it for a {@code target}. */
    private static Monitor monitorOf(Route53Resource resource) {
        return new Route53MonitorType().create(dev.kawari.testkit.KitConfigs.monitor("route53", ""),
                new TargetContext(resource));
    }

    /** A kit context whose service has exactly one resource, the monitor's target {@code res}. */
    private static final class TargetContext implements dev.kawari.spi.KitContext {
        private final Route53Resource target;

        TargetContext(Route53Resource target) {
            this.target = target;
        }

        @Override
        public String cluster() {
            return "test-cluster";
        }

        @Override
        public java.util.Map<String, dev.kawari.spi.NodeIdentity> nodes() {
            return java.util.Map.of();
        }

        @Override
        public java.util.Optional<dev.kawari.spi.Resource> resource(String id) {
            return id.equals(dev.kawari.testkit.KitConfigs.RESOURCE_ID) ? java.util.Optional.of(target)
                    : java.util.Optional.empty();
        }

        @Override
        public void problem(String key, String message) {
            throw new AssertionError("problem with the monitor block at " + key + ": " + message);
        }
    }
}
