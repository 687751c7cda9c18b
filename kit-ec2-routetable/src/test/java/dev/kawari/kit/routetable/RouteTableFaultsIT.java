package dev.kawari.kit.routetable;

import static dev.kawari.kit.routetable.RouteTableFixture.VIP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kawari.aws.AwsErrorCodes;
import dev.kawari.aws.InterfaceAddresses;
import dev.kawari.engine.LocalNode;
import dev.kawari.engine.config.KawariConfig;
import dev.kawari.engine.event.Event;
import dev.kawari.engine.event.EventKind;
import dev.kawari.engine.tree.State;
import dev.kawari.spi.ErrorType;
import dev.kawari.spi.KawariException;
import dev.kawari.spi.OperationContext;
import dev.kawari.testkit.OperationContexts;
import dev.kawari.testkit.aws.AwsEndpointExtension;
import dev.kawari.testkit.aws.AwsFaultInjector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * AWS misbehaving between the kit and the emulator: throttling every call, or one route table's.
 * Checks must say "could not tell" and never cause a failover; restores retry within their deadline;
 * a table that keeps failing is named while the others are updated.
 */
class RouteTableFaultsIT {
    @RegisterExtension
    static final AwsEndpointExtension aws = new AwsEndpointExtension();

    @TempDir
    Path directory;

    private RouteTableFixture fixture;
    private AwsFaultInjector faults;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new RouteTableFixture(aws.endpoint());
        faults = AwsFaultInjector.start(aws.endpoint().uri());
    }

    @AfterEach
    void tearDown() {
        faults.close();
        fixture.close();
    }

    @Test
    void throttledChecksAreUnknownAndNeverRequestAFailover() throws Exception {
        RouteTableResourceType type = new RouteTableResourceType(RouteTableFixture.NO_IMDS,
                new InterfaceAddresses(fixture.namespaceA.ipCommand()));
        KitEngine kit = new KitEngine(new RouteTableKit(type));
        StringBuilder services = new StringBuilder();
        int addresses = 5;
        for (int i = 0; i < addresses; i++) {
            services.append("      vip").append(i).append(" { type = ec2-route-table, address = \"198.51.100.")
                    .append(20 + i).append("\", ").append(tables()).append(", local-address = false }\n");
        }
        StringBuilder monitors = new StringBuilder();
        for (int i = 0; i < addresses; i++) {
            // The harshest policy: one Unhealthy answer fails the service over at once.
            monitors.append("      watch").append(i).append(" { type = ec2-route-table, target = vip").append(i)
                    .append(", interval = 200ms, timeout = 2s, failure-threshold = 1, max-local-recoveries = 0 }\n");
        }
        String hocon = "kawari {\n  cluster = faults\n  " + aws.endpoint().awsSectionHocon(faults.uri()) + "\n  "
                + fixture.topology.nodesHocon(aws.endpoint().region(), Map.of()).replace("\n", "\n  ") + "\n"
                + "  services.sql {\n    resources {\n" + services + "    }\n    monitors {\n" + monitors + "    }\n  }\n}\n";
        try (KawariConfig config = kit.engine.configs().load(KitEngine.write(directory, hocon));
                LocalNode node = kit.engine.startNode(config, "node-a")) {
            node.verify();
            assertThat(node.restoreAll().get("sql").ok()).isTrue();
            node.startMonitors();
            awaitTrue(() -> statuses(kit, "healthy").size() == addresses, "every monitor healthy");

            faults.throttleAll();
            long throttledFrom = System.nanoTime();
            awaitTrue(() -> statuses(kit, "unknown").size() == addresses, "every monitor unknown");
            Thread.sleep(2_000); // ten more ticks of every monitor under throttling
            double ticks = (System.nanoTime() - throttledFrom) / 200e6;
            long describes = faults.faulted("DescribeRouteTables");
            faults.passAll();
            int unknownEvents = statuses(kit, "unknown").size();
            awaitTrue(() -> kit.events.stream().filter(event -> event.kind() == EventKind.CHECK
                    && event.outcome().equals("healthy")).count() >= 2L * addresses, "every monitor healthy again");

            assertThat(unknownEvents).isEqualTo(addresses);
            assertThat(kit.events).extracting(Event::kind)
                    .doesNotContain(EventKind.MONITOR_FAILED, EventKind.FAILOVER_REQUESTED, EventKind.RECOVERY);
            assertThat(node.service("sql").orElseThrow().state()).isEqualTo(State.IN_SERVICE);
            // Throttled or not, the VIPs of a node share one describe per tick, not one each.
            assertThat(describes).as("DescribeRouteTables sent in %.0f ticks of %d monitors", ticks, addresses)
                    .isPositive().isLessThan((long) (ticks * addresses / 2));
            node.removeAll();
        }
    }

    private Set<String> statuses(KitEngine kit, String outcome) {
        return kit.events.stream().filter(event -> event.kind() == EventKind.CHECK && event.outcome().equals(outcome))
                .map(Event::subject).collect(Collectors.toSet());
    }

    @Test
    void restoreRetriesThroughThrottlingAndSucceedsOnceItStops() throws Exception {
        RouteTableResource resource = fixture.create(fixture.typeA, fixture.block(), faults.uri());
        faults.throttleAll();
        OperationContext context = RouteTableFixture.on(fixture.identityA(), Duration.ofSeconds(30));
        long start = System.nanoTime();

        CompletableFuture<Void> restore = CompletableFuture.runAsync(() -> {
            try {
                resource.restore(context);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        awaitTrue(() -> faults.faulted("DescribeNetworkInterfaces") >= 3, "three throttled attempts");
        assertThat(restore).isNotDone();
        faults.passAll();
        restore.get(30, TimeUnit.SECONDS);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        assertThat(fixture.targets()).containsAllEntriesOf(fixture.topology.routeTableIds().stream()
                .collect(Collectors.toMap(table -> table, table -> Optional.of(fixture.topology.nodeA().eni()))));
        Map<String, String> calls = OperationContexts.recorded(context).notes().stream()
                .filter(note -> note.message().startsWith("restore made")).findFirst().orElseThrow().details();
        assertThat(Integer.parseInt(calls.get("aws.ec2:DescribeNetworkInterfaces"))).as("attempts of the first call")
                .isGreaterThanOrEqualTo(3);
        assertThat(calls).containsEntry("aws.ec2:CreateRoute", "3");
    }

    @Test
    void restoreUnderThrottlingGivesUpAtItsDeadlineWithTheLastError() {
        RouteTableResource resource = fixture.create(fixture.typeA, fixture.block(), faults.uri());
        faults.throttleAll();
        long start = System.nanoTime();

        KawariException failure = catchThrowableOfType(KawariException.class, () -> resource.restore(RouteTableFixture.on(fixture.identityA(),
                Duration.ofSeconds(2))));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        assertThat(failure.code()).isEqualTo(AwsErrorCodes.AWS_THROTTLED);
        assertThat(failure.retryable()).isTrue();
        assertThat(failure.getMessage()).contains("ec2:DescribeNetworkInterfaces").contains("RequestLimitExceeded")
                .contains("request id kawari-fault-").contains("gave up after");
    }

    @Test
    void aRouteTableThatIsRefusedIsNamedWhileTheOthersAreUpdated() {
        RouteTableResource resource = fixture.create(fixture.typeA, fixture.block(), faults.uri());
        List<String> tables = fixture.topology.routeTableIds();
        String refused = tables.get(1);
        faults.fail(request -> (request.is("CreateRoute") || request.is("ReplaceRoute"))
                && refused.equals(request.parameter("RouteTableId")), AwsFaultInjector.Fault.error(403,
                "UnauthorizedOperation", "You are not authorized to perform this operation."));

        KawariException failure = catchThrowableOfType(KawariException.class, () -> resource.restore(fixture.onA()));

        assertThat(failure.type()).isEqualTo(ErrorType.CONFIGURATION);
        assertThat(failure.getMessage()).contains("1 of 3 route table(s)").contains(refused + ": ec2:CreateRoute is not"
                + " allowed for this node's role (UnauthorizedOperation").contains("updated: [" + tables.get(0) + ", "
                + tables.get(2) + "]");
        assertThat(fixture.targets().get(tables.get(0))).contains(fixture.topology.nodeA().eni());
        assertThat(fixture.targets().get(tables.get(2))).contains(fixture.topology.nodeA().eni());
        assertThat(fixture.targets().get(refused)).isEmpty();
    }

    @Test
    void aThrottledRouteTableIsRetriedWhileTheOthersAreUpdated() throws Exception {
        RouteTableResource resource = fixture.create(fixture.typeA, fixture.block(), faults.uri());
        List<String> tables = fixture.topology.routeTableIds();
        String slow = tables.get(2);
        faults.throttle(request -> (request.is("CreateRoute") || request.is("ReplaceRoute"))
                && slow.equals(request.parameter("RouteTableId")));
        String eniA = fixture.topology.nodeA().eni();

        CompletableFuture<Void> restore = CompletableFuture.runAsync(() -> {
            try {
                resource.restore(RouteTableFixture.on(fixture.identityA(), Duration.ofSeconds(30)));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        awaitTrue(() -> fixture.targets().get(tables.get(0)).equals(Optional.of(eniA))
                && fixture.targets().get(tables.get(1)).equals(Optional.of(eniA))
                && faults.faulted("CreateRoute") >= 2, "the other tables updated while " + slow + " is retried");
        assertThat(restore).isNotDone();
        assertThat(fixture.targets().get(slow)).isEmpty();
        faults.passAll();
        restore.get(30, TimeUnit.SECONDS);

        assertThat(fixture.targets().get(slow)).contains(eniA);
    }

    private String tables() {
        return "route-tables = [" + String.join(", ", fixture.topology.routeTableIds().stream()
                .map(id -> "\"" + id + "\"").toList()) + "]";
    }

    static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - until > 0) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(50);
        }
    }
}
