package dev.kawari.kit.route53;

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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.route53.model.RRType;

/** The Route 53 kit against the emulator: the record follows the restoring node, checks tell who holds it. */
class Route53IT {
    @RegisterExtension
    static final AwsEndpointExtension aws = new AwsEndpointExtension();

    private Route53Fixture fixture;

    @AfterEach
    void tearDown() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static CheckResult.Status status(Route53Resource resource, OperationContext context) throws Exception {
        return resource.check(context).status();
    }

    @Test
    void restoreOnAPublishesAsAddressAndRestoreOnBMovesTheRecordToB() throws Exception {
        fixture = new Route53Fixture(aws.endpoint());
        Route53Resource onA = fixture.create(fixture.typeA, fixture.block());
        Route53Resource onB = fixture.create(fixture.typeB, fixture.block());

        onA.restore(fixture.onA());

        assertThat(fixture.addresses(Route53Fixture.NAME)).containsExactly(fixture.topology.nodeA().privateAddress());
        assertThat(fixture.record(Route53Fixture.NAME).orElseThrow().ttl()).isEqualTo(10L);
        assertThat(status(onA, fixture.onA())).isEqualTo(CheckResult.Status.HEALTHY);
        assertThat(status(onB, fixture.onB())).isEqualTo(CheckResult.Status.UNHEALTHY);

        onB.restore(fixture.onB());

        assertThat(fixture.addresses(Route53Fixture.NAME)).containsExactly(fixture.topology.nodeB().privateAddress());
        fixture.nextTick();
        assertThat(status(onB, fixture.onB())).isEqualTo(CheckResult.Status.HEALTHY);
        CheckResult aAfterMove = onA.check(fixture.onA());
        assertThat(aAfterMove.status()).isEqualTo(CheckResult.Status.UNHEALTHY);
        assertThat(aAfterMove.reason()).contains("points at " + fixture.topology.nodeB().privateAddress())
                .contains(fixture.topology.nodeA().privateAddress());
    }

    @Test
    void aMissingRecordIsNobodysNotEveryones() throws Exception {
        fixture = new Route53Fixture(aws.endpoint());
        Route53Resource onA = fixture.create(fixture.typeA, fixture.block());
        Route53Resource onB = fixture.create(fixture.typeB, fixture.block());

        CheckResult a = onA.check(fixture.onA());
        CheckResult b = onB.check(fixture.onB());

        assertThat(a.status()).isEqualTo(CheckResult.Status.UNHEALTHY);
        assertThat(a.reason()).contains("has no A record");
        assertThat(b.status()).isEqualTo(CheckResult.Status.UNHEALTHY);
    }

    @Test
    void aRecordThatAlsoNamesAnotherAddressIsNotThisNodes() throws Exception {
        fixture = new Route53Fixture(aws.endpoint());
        Route53Resource onA = fixture.create(fixture.typeA, fixture.block());
        fixture.put(Route53Fixture.NAME, RRType.A, 10, fixture.topology.nodeA().privateAddress(),
                fixture.topology.nodeB().privateAddress());

        assertThat(status(onA, fixture.onA())).isEqualTo(CheckResult.Status.UNHEALTHY);

        onA.restore(fixture.onA());

        assertThat(fixture.addresses(Route53Fixture.NAME)).containsExactly(fixture.topology.nodeA().privateAddress());
    }

    @Test
    void restoreOfARecordAlreadyRightOnlyReadsIt() throws Exception {
        fixture = new Route53Fixture(aws.endpoint());
        Route53Resource onA = fixture.create(fixture.typeA, fixture.block());
        onA.restore(fixture.onA());
        OperationContext again = fixture.onA();

        onA.restore(again);

        RecordingEventSink.Note calls = OperationContexts.recorded(again).notes().stream()
                .filter(note -> note.message().startsWith("restore made")).findFirst().orElseThrow();
        assertThat(calls.details()).containsOnlyKeys("aws.route53:ListResourceRecordSets");
        assertThat(OperationContexts.recorded(again).messages()).anyMatch(message -> message.contains("already points at"));
    }

    @Test
    void restoreRewritesARecordWithTheRightAddressButAnotherTtl() throws Exception {
        fixture = new Route53Fixture(aws.endpoint());
        Route53Resource onA = fixture.create(fixture.typeA, fixture.block());
        fixture.put(Route53Fixture.NAME, RRType.A, 3600, fixture.topology.nodeA().privateAddress());

        onA.restore(fixture.onA());

        assertThat(fixture.record(Route53Fixture.NAME).orElseThrow().ttl()).isEqualTo(10L);
    }

    @Test
    void removeLeavesTheRecordAloneByDefault() throws Exception {
        fixture = new Route53Fixture(aws.endpoint());
        Route53Resource onA = fixture.create(fixture.typeA, fixture.block());
        onA.restore(fixture.onA());
        ApiCallCounts before = ApiCallCounter.process().snapshot();

        onA.remove(fixture.onA());

        assertThat(ApiCallCounter.process().snapshot().since(before).total()).isZero();
        assertThat(fixture.addresses(Route53Fixture.NAME)).containsExactly(fixture.topology.nodeA().privateAddress());
    }

    @Test
    void removePointsTheRecordAtTheSorryAddressOnlyWhileItIsThisNodes() throws Exception {
        fixture = new Route53Fixture(aws.endpoint());
        String block = fixture.block() + ", sorry-address = \"198.51.100.99\"";
        Route53Resource onA = fixture.create(fixture.typeA, block);
        Route53Resource onB = fixture.create(fixture.typeB, block);
        onA.restore(fixture.onA());
        onB.restore(fixture.onB());

        onA.remove(fixture.onA());

        assertThat(fixture.addresses(Route53Fixture.NAME)).containsExactly(fixture.topology.nodeB().privateAddress());

        onB.remove(fixture.onB());

        assertThat(fixture.addresses(Route53Fixture.NAME)).containsExactly("198.51.100.99");
        fixture.nextTick();
        assertThat(status(onB, fixture.onB())).isEqualTo(CheckResult.Status.UNHEALTHY);
    }

    @Test
    void recoverRepointsWithoutShowingTheSorryAddress() throws Exception {
        fixture = new Route53Fixture(aws.endpoint());
        String block = fixture.block() + ", sorry-address = \"198.51.100.99\"";
        Route53Resource onA = fixture.create(fixture.typeA, block);
        fixture.put(Route53Fixture.NAME, RRType.A, 10, fixture.topology.nodeB().privateAddress());
        OperationContext recovering = fixture.onA();

        onA.recover(recovering);

        assertThat(fixture.addresses(Route53Fixture.NAME)).containsExactly(fixture.topology.nodeA().privateAddress());
        assertThat(OperationContexts.recorded(recovering).messages()).noneMatch(message -> message.contains("198.51.100.99"));
    }

    @Test
    void perNodeLiteralAndElasticIpAddressesArePublished() throws Exception {
        fixture = new Route53Fixture(aws.endpoint());
        String block = fixture.block() + ", addresses { node-a = \"203.0.113.10\", node-b = \""
                + fixture.topology.address().allocationId() + "\" }";
        Route53Resource onA = fixture.create(fixture.typeA, block);
        Route53Resource onB = fixture.create(fixture.typeB, block);

        onA.restore(fixture.onA());
        assertThat(fixture.addresses(Route53Fixture.NAME)).containsExactly("203.0.113.10");
        assertThat(status(onA, fixture.onA())).isEqualTo(CheckResult.Status.HEALTHY);

        onB.restore(fixture.onB());
        assertThat(fixture.addresses(Route53Fixture.NAME)).containsExactly(fixture.topology.address().publicIp());
        fixture.nextTick();
        assertThat(status(onB, fixture.onB())).isEqualTo(CheckResult.Status.HEALTHY);
        assertThat(status(onA, fixture.onA())).isEqualTo(CheckResult.Status.UNHEALTHY);
    }

    @Test
    void publicIpPublishesTheInterfacesPublicAddressAndNeedsOne() throws Exception {
        fixture = new Route53Fixture(aws.endpoint());
        Route53Resource onA = fixture.create(fixture.typeA, fixture.block() + ", address = public-ip");

        KawariException refused = catchThrowableOfType(KawariException.class, () -> onA.restore(fixture.onA()));

        assertThat(refused.type()).isEqualTo(ErrorType.CONFIGURATION);
        assertThat(refused.getMessage()).contains("public address").contains(fixture.topology.nodeA().eni());
        assertThat(fixture.record(Route53Fixture.NAME)).isEmpty();

        fixture.ec2.associateAddress(request -> request.allocationId(fixture.topology.address().allocationId())
                .networkInterfaceId(fixture.topology.nodeA().eni()).allowReassociation(true));
        onA.restore(fixture.onA());

        assertThat(fixture.addresses(Route53Fixture.NAME)).containsExactly(fixture.topology.address().publicIp());
        assertThat(status(onA, fixture.onA())).isEqualTo(CheckResult.Status.HEALTHY);
    }

    @Test
    void aCnameAtTheNameIsAConfigurationError() throws Exception {
        fixture = new Route53Fixture(aws.endpoint());
        fixture.put(Route53Fixture.NAME, RRType.CNAME, 300, "nas.corp.example.");
        Route53Resource onA = fixture.create(fixture.typeA, fixture.block());

        KawariException refused = catchThrowableOfType(KawariException.class, () -> onA.restore(fixture.onA()));

        assertThat(refused.code()).isEqualTo(Route53Resource.RECORD_CONFLICT);
        assertThat(refused.getMessage()).contains("CNAME");
        assertThat(onA.check(fixture.onA()).reason()).contains("is a CNAME");
    }

    @Test
    void checksOfManyRecordsShareOneListPerZonePerTick() throws Exception {
        fixture = new Route53Fixture(aws.endpoint());
        List<Route53Resource> resources = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            resources.add(fixture.create(fixture.typeA, fixture.block("r" + i + ".corp.example.")));
        }
        for (Route53Resource resource : resources) {
            resource.restore(fixture.onA());
        }
        fixture.nextTick();
        ExecutorService pool = Executors.newFixedThreadPool(resources.size());
        try {
            ApiCallCounts before = ApiCallCounter.process().snapshot();
            List<Future<CheckResult>> checks = new ArrayList<>();
            for (Route53Resource resource : resources) {
                checks.add(pool.submit(() -> resource.check(Route53Fixture.on(fixture.identityA(), Duration.ofSeconds(10)))));
            }
            for (Future<CheckResult> check : checks) {
                assertThat(check.get().status()).isEqualTo(CheckResult.Status.HEALTHY);
            }
            ApiCallCounts made = ApiCallCounter.process().snapshot().since(before);

            assertThat(made.of("route53:ListResourceRecordSets")).isEqualTo(1);
            assertThat(made.total()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void namesSpreadOverABigZoneCostOneListPerPageTheyNeed() throws Exception {
        fixture = new Route53Fixture(aws.endpoint());
        // 400 other records between the watched names (Route 53 lists at most 300 per page).
        List<software.amazon.awssdk.services.route53.model.Change> filler = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String name = "m" + String.format("%03d", i) + ".corp.example.";
            filler.add(software.amazon.awssdk.services.route53.model.Change.builder()
                    .action(software.amazon.awssdk.services.route53.model.ChangeAction.UPSERT)
                    .resourceRecordSet(set -> set.name(name).type(RRType.A).ttl(60L).resourceRecords(
                            software.amazon.awssdk.services.route53.model.ResourceRecord.builder().value("192.0.2.1").build()))
                    .build());
        }
        fixture.route53.changeResourceRecordSets(request -> request.hostedZoneId(fixture.zoneId)
                .changeBatch(batch -> batch.changes(filler)));
        List<Route53Resource> resources = new ArrayList<>();
        for (String name : List.of("a1", "a2", "z1", "z2")) {
            resources.add(fixture.create(fixture.typeA, fixture.block(name + ".corp.example.")));
        }
        for (Route53Resource resource : resources) {
            resource.restore(fixture.onA());
        }
        Route53Resource gone = fixture.create(fixture.typeA, fixture.block("b-gone.corp.example."));
        fixture.nextTick();

        ApiCallCounts before = ApiCallCounter.process().snapshot();
        for (Route53Resource resource : resources) {
            assertThat(status(resource, fixture.onA())).isEqualTo(CheckResult.Status.HEALTHY);
        }
        assertThat(status(gone, fixture.onA())).isEqualTo(CheckResult.Status.UNHEALTHY);
        ApiCallCounts made = ApiCallCounter.process().snapshot().since(before);

        // a1 and a2 on the first page; b-gone (absent) as the start of a page of its own; z1 and z2, past the
        // 400 fillers, on a third.
        assertThat(made.of("route53:ListResourceRecordSets")).isEqualTo(3);
    }
}
