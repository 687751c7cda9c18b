package dev.kawari.kit.routetable;

import static dev.kawari.kit.routetable.RouteTableFixture.VIP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kawari.aws.ApiCallCounter;
import dev.kawari.aws.ApiCallCounts;
import dev.kawari.spi.CheckResult;
import dev.kawari.spi.ErrorType;
import dev.kawari.spi.KawariException;
import dev.kawari.spi.OperationContext;
import dev.kawari.testkit.OperationContexts;
import dev.kawari.testkit.RecordingEventSink;
import dev.kawari.testkit.aws.AwsEndpointExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The route-table virtual IP against the emulator, with each node's operating system in a namespace. */
class RouteTableIT {
    @RegisterExtension
    static final AwsEndpointExtension aws = new AwsEndpointExtension();

    private RouteTableFixture fixture;

    @BeforeEach
    void buildTopology() {
        fixture = new RouteTableFixture(aws.endpoint());
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    void restoreMovesEveryRouteAndTheAddressToTheRestoringNode() throws Exception {
        RouteTableResource onA = fixture.create(fixture.typeA, fixture.block());
        RouteTableResource onB = fixture.create(fixture.typeB, fixture.block());
        String eniA = fixture.topology.nodeA().eni();
        String eniB = fixture.topology.nodeB().eni();

        onA.restore(fixture.onA());

        for (String table : fixture.topology.routeTableIds()) {
            assertThat(fixture.targets().get(table)).as("route of %s after restore on A", table).contains(eniA);
        }
        assertThat(fixture.namespaceA.addresses()).contains(VIP + "/32");
        assertThat(onA.check(fixture.onA()).status()).isEqualTo(CheckResult.Status.HEALTHY);
        assertThat(onB.check(fixture.onB()).status()).isEqualTo(CheckResult.Status.UNHEALTHY);

        onB.restore(fixture.onB());

        for (String table : fixture.topology.routeTableIds()) {
            assertThat(fixture.targets().get(table)).as("route of %s after restore on B", table).contains(eniB);
        }
        assertThat(fixture.namespaceB.addresses()).contains(VIP + "/32");
        fixture.nextTick();
        assertThat(onB.check(fixture.onB()).status()).isEqualTo(CheckResult.Status.HEALTHY);
        CheckResult aAfterMove = onA.check(fixture.onA());
        assertThat(aAfterMove.status()).isEqualTo(CheckResult.Status.UNHEALTHY);
        assertThat(aAfterMove.reason()).contains(eniB).contains(fixture.topology.routeTableIds().get(0));

        onA.remove(fixture.onA());

        assertThat(fixture.namespaceA.addresses()).doesNotContain(VIP + "/32");
        assertThat(fixture.namespaceB.addresses()).contains(VIP + "/32");
    }

    @Test
    void autoRoutesThroughEveryTableOfTheVpcIncludingTheMainOne() throws Exception {
        RouteTableResource resource = fixture.create(fixture.typeA, "address = \"" + VIP + "\", route-tables = auto");

        resource.restore(fixture.onA());

        assertThat(fixture.targets()).hasSize(fixture.topology.routeTableIds().size() + 1)
                .allSatisfy((table, target) -> assertThat(target).as(table).contains(fixture.topology.nodeA().eni()));
        assertThat(resource.check(fixture.onA()).status()).isEqualTo(CheckResult.Status.HEALTHY);
    }

    @Test
    void recoverRepointsOnlyTheWrongTable() throws Exception {
        RouteTableResource resource = fixture.create(fixture.typeA, fixture.block());
        resource.restore(fixture.onA());
        String stolen = fixture.topology.routeTableIds().get(1);
        fixture.ec2.replaceRoute(request -> request.routeTableId(stolen).destinationCidrBlock(VIP + "/32")
                .networkInterfaceId(fixture.topology.nodeB().eni()));
        fixture.nextTick();

        CheckResult broken = resource.check(fixture.onA());
        OperationContext recovering = fixture.onA();
        resource.recover(recovering);

        assertThat(broken.status()).isEqualTo(CheckResult.Status.UNHEALTHY);
        assertThat(broken.reason()).contains(stolen).contains(fixture.topology.nodeB().eni());
        RecordingEventSink.Note calls = OperationContexts.recorded(recovering).notes().stream()
                .filter(note -> note.message().startsWith("recover made")).findFirst().orElseThrow();
        assertThat(calls.details()).containsEntry("aws.ec2:ReplaceRoute", "1").doesNotContainKey("aws.ec2:CreateRoute");
        assertThat(fixture.targets().get(stolen)).contains(fixture.topology.nodeA().eni());
        assertThat(resource.check(fixture.onA()).status()).isEqualTo(CheckResult.Status.HEALTHY);
    }

    @Test
    void restoreOfWhatIsAlreadyInPlaceOnlyReads() throws Exception {
        RouteTableResource resource = fixture.create(fixture.typeA, fixture.block());
        resource.restore(fixture.onA());
        OperationContext again = fixture.onA();

        resource.restore(again);

        RecordingEventSink.Note calls = OperationContexts.recorded(again).notes().stream()
                .filter(note -> note.message().startsWith("restore made")).findFirst().orElseThrow();
        assertThat(calls.details().keySet()).containsExactlyInAnyOrder("aws.ec2:DescribeRouteTables",
                "aws.ec2:ModifyNetworkInterfaceAttribute");
        assertThat(calls.details()).containsEntry("aws.ec2:DescribeRouteTables", "2");
    }

    @Test
    void restoreTurnsOffTheSourceDestinationCheckOfTheNodesInterface() throws Exception {
        RouteTableResource resource = fixture.create(fixture.typeA, fixture.block());

        resource.restore(fixture.onA());

        assertThat(fixture.ec2.describeNetworkInterfaces(request -> request.networkInterfaceIds(
                fixture.topology.nodeA().eni())).networkInterfaces().get(0).sourceDestCheck()).isFalse();
    }

    @Test
    void aMissingRouteIsAnErrorNamingTheTableWhenCreatingIsOff() {
        RouteTableResource resource = fixture.create(fixture.typeA, fixture.block() + ", create-missing-routes = false");

        KawariException failure = catchThrowableOfType(KawariException.class, () -> resource.restore(fixture.onA()));

        assertThat(failure.type()).isEqualTo(ErrorType.CONFIGURATION);
        assertThat(failure.getMessage()).contains(fixture.topology.routeTableIds().get(0)).contains("create-missing-routes");
    }

    @Test
    void withoutLocalAddressNothingIsAddedAndRemoveMakesNoChange() throws Exception {
        RouteTableResource resource = fixture.create(fixture.typeA, fixture.block() + ", local-address = false");

        resource.restore(fixture.onA());
        resource.remove(fixture.onA());

        assertThat(fixture.namespaceA.addresses()).doesNotContain(VIP + "/32");
        assertThat(resource.check(fixture.onA()).status()).isEqualTo(CheckResult.Status.HEALTHY);
    }

    @Test
    void checksOfManyAddressesShareOneDescribePerTick() throws Exception {
        List<RouteTableResource> resources = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            resources.add(fixture.create(fixture.typeA, "address = \"198.51.100." + (20 + i) + "\", route-tables = ["
                    + "\"" + fixture.topology.routeTableIds().get(0) + "\"], local-address = false"));
        }
        resources.get(0).restore(fixture.onA()); // learns the interface's VPC
        fixture.nextTick();
        ExecutorService pool = Executors.newFixedThreadPool(resources.size());
        try {
            ApiCallCounts before = ApiCallCounter.process().snapshot();
            List<Future<CheckResult>> checks = new ArrayList<>();
            for (RouteTableResource resource : resources) {
                Callable<CheckResult> check = () -> resource.check(RouteTableFixture.on(fixture.identityA(),
                        Duration.ofSeconds(10)));
                checks.add(pool.submit(check));
            }
            for (Future<CheckResult> check : checks) {
                check.get();
            }
            ApiCallCounts made = ApiCallCounter.process().snapshot().since(before);

            assertThat(made.of("ec2:DescribeRouteTables")).isEqualTo(1);
            assertThat(made.total()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aVanishedRouteTableMakesTheCheckUnhealthy() throws Exception {
        RouteTableResource resource = fixture.create(fixture.typeA, "address = \"" + VIP
                + "\", route-tables = [\"rtb-0123456789abcdef0\"], local-address = false");

        CheckResult result = resource.check(fixture.onA());

        assertThat(result.status()).isEqualTo(CheckResult.Status.UNHEALTHY);
        assertThat(result.reason()).contains("rtb-0123456789abcdef0");
        assertThat(Optional.of(result.reason())).isNotEmpty();
    }
}
