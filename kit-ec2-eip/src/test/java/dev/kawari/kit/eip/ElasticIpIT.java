package dev.kawari.kit.eip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kawari.aws.ApiCallCounter;
import dev.kawari.aws.ApiCallCounts;
import dev.kawari.spi.CheckResult;
import dev.kawari.spi.OperationContext;
import dev.kawari.testkit.OperationContexts;
import dev.kawari.testkit.RecordingEventSink;
import dev.kawari.testkit.aws.AwsEndpointExtension;
import dev.kawari.testkit.aws.Ec2Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Elastic IP kit against the emulator. */
class ElasticIpIT {
    @RegisterExtension
    static final AwsEndpointExtension aws = new AwsEndpointExtension();

    private ElasticIpFixture fixture;

    @AfterEach
    void tearDown() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void restoreMovesTheAddressToTheRestoringNode() throws Exception {
        fixture = new ElasticIpFixture(aws.endpoint());
        ElasticIpResource onA = fixture.create(fixture.typeA, fixture.block());
        ElasticIpResource onB = fixture.create(fixture.typeB, fixture.block());

        onA.restore(fixture.onA());

        assertThat(fixture.associatedEni()).contains(fixture.topology.nodeA().eni());
        assertThat(onA.check(fixture.onA()).status()).isEqualTo(CheckResult.Status.HEALTHY);
        assertThat(onB.check(fixture.onB()).status()).isEqualTo(CheckResult.Status.UNHEALTHY);

        onB.restore(fixture.onB());

        assertThat(fixture.associatedEni()).contains(fixture.topology.nodeB().eni());
        fixture.nextTick();
        assertThat(onB.check(fixture.onB()).status()).isEqualTo(CheckResult.Status.HEALTHY);
        CheckResult aAfterMove = onA.check(fixture.onA());
        assertThat(aAfterMove.status()).isEqualTo(CheckResult.Status.UNHEALTHY);
        assertThat(aAfterMove.reason()).contains(fixture.topology.nodeB().eni());
    }

    @Test
    void removeOnTheOldHolderLeavesAMovedAddressAlone() throws Exception {
        fixture = new ElasticIpFixture(aws.endpoint());
        ElasticIpResource onA = fixture.create(fixture.typeA, fixture.block());
        ElasticIpResource onB = fixture.create(fixture.typeB, fixture.block());
        onA.restore(fixture.onA());
        onB.restore(fixture.onB());

        OperationContext removing = fixture.onA();
        onA.remove(removing);

        assertThat(fixture.associatedEni()).contains(fixture.topology.nodeB().eni());
        assertThat(OperationContexts.recorded(removing).notes()).extracting(RecordingEventSink.Note::message)
                .noneMatch(message -> message.contains("DisassociateAddress"));
    }

    @Test
    void removeDisassociatesTheAddressWhenItIsStillThisNodes() throws Exception {
        fixture = new ElasticIpFixture(aws.endpoint());
        ElasticIpResource onA = fixture.create(fixture.typeA, fixture.block());
        onA.restore(fixture.onA());

        onA.remove(fixture.onA());
        fixture.nextTick();

        assertThat(fixture.associatedEni()).isEmpty();
        assertThat(onA.check(fixture.onA()).status()).isEqualTo(CheckResult.Status.UNHEALTHY);
    }

    @Test
    void keepingTheAssociationOnRemoveIsConfigurable() throws Exception {
        fixture = new ElasticIpFixture(aws.endpoint());
        ElasticIpResource onA = fixture.create(fixture.typeA, fixture.block() + ", disassociate-on-remove = false");
        onA.restore(fixture.onA());

        onA.remove(fixture.onA());

        assertThat(fixture.associatedEni()).contains(fixture.topology.nodeA().eni());
    }

    @Test
    void restoreOfAnAddressAlreadyHereOnlyReads() throws Exception {
        fixture = new ElasticIpFixture(aws.endpoint());
        ElasticIpResource onA = fixture.create(fixture.typeA, fixture.block());
        onA.restore(fixture.onA());
        OperationContext again = fixture.onA();

        onA.restore(again);

        RecordingEventSink.Note calls = OperationContexts.recorded(again).notes().stream()
                .filter(note -> note.message().startsWith("restore made")).findFirst().orElseThrow();
        assertThat(calls.details()).containsOnlyKeys("aws.ec2:DescribeAddresses");
    }

    @Test
    void checksOfManyAddressesShareOneDescribePerTick() throws Exception {
        fixture = new ElasticIpFixture(aws.endpoint(), Ec2Topology.builder().elasticIps(12).create(aws.endpoint().ec2()));
        List<ElasticIpResource> resources = new ArrayList<>();
        for (Ec2Topology.ElasticIp address : fixture.topology.addresses()) {
            resources.add(fixture.create(fixture.typeA, "allocation-id = \"" + address.allocationId() + "\""));
        }
        for (ElasticIpResource resource : resources) {
            resource.restore(fixture.onA());
        }
        fixture.nextTick();
        ExecutorService pool = Executors.newFixedThreadPool(resources.size());
        try {
            ApiCallCounts before = ApiCallCounter.process().snapshot();
            List<Future<CheckResult>> checks = new ArrayList<>();
            for (ElasticIpResource resource : resources) {
                checks.add(pool.submit(() -> resource.check(ElasticIpFixture.on(fixture.identityA(), Duration.ofSeconds(10)))));
            }
            for (Future<CheckResult> check : checks) {
                assertThat(check.get().status()).isEqualTo(CheckResult.Status.HEALTHY);
            }
            ApiCallCounts made = ApiCallCounter.process().snapshot().since(before);

            assertThat(made.of("ec2:DescribeAddresses")).isEqualTo(1);
            assertThat(made.total()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aReleasedAddressIsUnhealthyButDoesNotFailTheOthersChecks() throws Exception {
        fixture = new ElasticIpFixture(aws.endpoint(), Ec2Topology.builder().elasticIps(2).create(aws.endpoint().ec2()));
        ElasticIpResource kept = fixture.create(fixture.typeA, "allocation-id = \""
                + fixture.topology.addresses().get(0).allocationId() + "\"");
        ElasticIpResource gone = fixture.create(fixture.typeA, "allocation-id = \"eipalloc-0123456789abcdef0\"");
        kept.restore(fixture.onA());

        assertThat(gone.check(fixture.onA()).reason()).contains("eipalloc-0123456789abcdef0").contains("does not exist");
        assertThat(kept.check(fixture.onA()).status()).isEqualTo(CheckResult.Status.HEALTHY);
    }

    @Test
    void anAddressHeldByAnotherNodeIsUnhealthyHereEvenBeforeThisNodeEverHeldIt() throws Exception {
        fixture = new ElasticIpFixture(aws.endpoint());
        ElasticIpResource onB = fixture.create(fixture.typeB, fixture.block());
        onB.restore(fixture.onB());
        ElasticIpResource onA = fixture.create(fixture.typeA, fixture.block());

        CheckResult result = onA.check(fixture.onA());

        assertThat(result.status()).isEqualTo(CheckResult.Status.UNHEALTHY);
    }
}
