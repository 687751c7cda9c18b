package dev.kawari.kit.eni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kawari.aws.ApiCallCounter;
import dev.kawari.aws.ApiCallCounts;
import dev.kawari.aws.AwsErrorCodes;
import dev.kawari.spi.CheckResult;
import dev.kawari.spi.KawariException;
import dev.kawari.spi.OperationContext;
import dev.kawari.testkit.OperationContexts;
import dev.kawari.testkit.RecordingEventSink;
import dev.kawari.testkit.aws.AwsEndpointExtension;
import dev.kawari.testkit.aws.AwsFaultInjector;
import dev.kawari.testkit.aws.Ec2Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The dedicated ENI against the emulator, with each node's operating system in a network namespace
 * where a link with the ENI's MAC address stands for the hot-plugged interface.
 *
 * <p>The emulator attaches an ENI that is attached elsewhere (moving it) and ignores {@code Force},
 * zones and device indexes; AWS refuses such an attach. The kit always detaches first, so these tests
 * hold on both; what only AWS checks is verified up front by {@code verify} (see {@link EniVerifyIT}).
 */
class EniIT {
    @RegisterExtension
    static final AwsEndpointExtension aws = new AwsEndpointExtension();

    private EniFixture fixture;

    private EniFixture fixture() {
        return fixture(Ec2Topology.builder().oneSubnet().dedicatedEnis(1));
    }

    private EniFixture fixture(Ec2Topology.Builder topology) {
        fixture = new EniFixture(aws.endpoint(), topology);
        return fixture;
    }

    @AfterEach
    void tearDown() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static String table(EniFixture fixture, int index) {
        return fixture.namespaceA.ip("-4", "route", "show", "table", String.valueOf(10000 + index));
    }

    @Test
    void theEniMovesFromNodeAToNodeBAndBack() throws Exception {
        EniFixture fixture = fixture();
        fixture.plugIn(fixture.namespaceA, 0);
        fixture.plugIn(fixture.namespaceB, 0);
        EniResource onA = fixture.create(fixture.typeA, fixture.block());
        EniResource onB = fixture.create(fixture.typeB, fixture.block());
        String a = fixture.topology.nodeA().instanceId();
        String b = fixture.topology.nodeB().instanceId();

        onA.restore(fixture.onA());

        assertThat(fixture.attachedTo()).contains(a);
        assertThat(fixture.namespaceA.isUp(EniFixture.link(0))).isTrue();
        assertThat(fixture.namespaceA.addresses(EniFixture.link(0))).containsExactly(fixture.cidr());
        assertThat(fixture.namespaceB.addresses(EniFixture.link(0))).isEmpty();
        assertThat(onA.check(fixture.onA()).status()).isEqualTo(CheckResult.Status.HEALTHY);
        CheckResult bBeforeMove = onB.check(fixture.onB());
        assertThat(bBeforeMove.status()).isEqualTo(CheckResult.Status.UNHEALTHY);
        assertThat(bBeforeMove.reason()).contains("attached to " + a).contains(b);

        onA.remove(fixture.onA());
        onB.restore(fixture.onB());

        assertThat(fixture.attachedTo()).contains(b);
        assertThat(fixture.namespaceA.isUp(EniFixture.link(0))).isFalse();
        assertThat(fixture.namespaceA.addresses(EniFixture.link(0))).isEmpty();
        assertThat(fixture.namespaceB.isUp(EniFixture.link(0))).isTrue();
        assertThat(fixture.namespaceB.addresses(EniFixture.link(0))).containsExactly(fixture.cidr());
        fixture.nextTick();
        assertThat(onB.check(fixture.onB()).status()).isEqualTo(CheckResult.Status.HEALTHY);
        CheckResult aAfterMove = onA.check(fixture.onA());
        assertThat(aAfterMove.status()).isEqualTo(CheckResult.Status.UNHEALTHY);
        assertThat(aAfterMove.reason()).contains("attached to " + b);

        onB.remove(fixture.onB());
        onA.restore(fixture.onA());

        assertThat(fixture.attachedTo()).contains(a);
        assertThat(fixture.namespaceA.addresses(EniFixture.link(0))).containsExactly(fixture.cidr());
        assertThat(fixture.namespaceB.addresses(EniFixture.link(0))).isEmpty();
        fixture.nextTick();
        assertThat(onA.check(fixture.onA()).status()).isEqualTo(CheckResult.Status.HEALTHY);
        assertThat(onB.check(fixture.onB()).status()).isEqualTo(CheckResult.Status.UNHEALTHY);
    }

    /** A takeover after node A failed (no remove on A): detached from A, attached to B. */
    @Test
    void aTakeoverDetachesTheEniFromTheFailedNode() throws Exception {
        EniFixture fixture = fixture();
        fixture.plugIn(fixture.namespaceA, 0);
        fixture.plugIn(fixture.namespaceB, 0);
        EniResource onA = fixture.create(fixture.typeA, fixture.block());
        EniResource onB = fixture.create(fixture.typeB, fixture.block());
        onA.restore(fixture.onA());
        OperationContext takeover = fixture.onB();

        onB.restore(takeover);

        assertThat(fixture.attachedTo()).contains(fixture.topology.nodeB().instanceId());
        RecordingEventSink.Note calls = OperationContexts.recorded(takeover).notes().stream()
                .filter(note -> note.message().startsWith("restore made")).findFirst().orElseThrow();
        assertThat(calls.details()).containsEntry("aws.ec2:DetachNetworkInterface", "1")
                .containsEntry("aws.ec2:AttachNetworkInterface", "1");
        assertThat(OperationContexts.recorded(takeover).messages())
                .anyMatch(message -> message.contains("detached from " + fixture.topology.nodeA().instanceId()));
        fixture.nextTick();
        assertThat(onB.check(fixture.onB()).status()).isEqualTo(CheckResult.Status.HEALTHY);
        assertThat(onA.check(fixture.onA()).status()).isEqualTo(CheckResult.Status.UNHEALTHY);
    }

    @Test
    void forceDetachSendsForceAndPlainDetachDoesNot() throws Exception {
        EniFixture fixture = fixture();
        fixture.plugIn(fixture.namespaceA, 0);
        fixture.plugIn(fixture.namespaceB, 0);
        try (AwsFaultInjector proxy = AwsFaultInjector.start(aws.endpoint().uri())) {
            List<String> force = new ArrayList<>();
            proxy.fail(request -> {
                if (request.is("DetachNetworkInterface")) {
                    force.add(request.parameter("Force"));
                }
                return false;
            }, AwsFaultInjector.Fault.delay(Duration.ZERO));
            EniResource plainA = fixture.create(fixture.typeA, fixture.block(), proxy.uri());
            EniResource forcingB = fixture.create(fixture.typeB, fixture.block() + ", force-detach = true", proxy.uri());

            plainA.restore(fixture.onA());
            forcingB.restore(fixture.onB());
            plainA.restore(fixture.onA());

            assertThat(force).containsExactly("true", "false");
        }
    }

    @Test
    void detachOnRemoveLeavesTheEniAvailable() throws Exception {
        EniFixture fixture = fixture();
        fixture.plugIn(fixture.namespaceA, 0);
        EniResource resource = fixture.create(fixture.typeA, fixture.block() + ", detach-on-remove = true");
        resource.restore(fixture.onA());

        resource.remove(fixture.onA());

        assertThat(fixture.attachedTo()).isEmpty();
        assertThat(fixture.namespaceA.addresses(EniFixture.link(0))).isEmpty();
        assertThat(resource.check(fixture.onA()).status()).isEqualTo(CheckResult.Status.UNHEALTHY);
    }

    @Test
    void withoutDetachOnRemoveTheEniStaysAttachedButDown() throws Exception {
        EniFixture fixture = fixture();
        fixture.plugIn(fixture.namespaceA, 0);
        EniResource resource = fixture.create(fixture.typeA, fixture.block());
        resource.restore(fixture.onA());

        resource.remove(fixture.onA());

        assertThat(fixture.attachedTo()).contains(fixture.topology.nodeA().instanceId());
        assertThat(fixture.namespaceA.isUp(EniFixture.link(0))).isFalse();
        CheckResult after = resource.check(fixture.onA());
        assertThat(after.status()).isEqualTo(CheckResult.Status.UNHEALTHY);
        assertThat(after.reason()).contains(EniFixture.link(0) + " is down");
    }

    @Test
    void theBuiltInConfigurationRoutesRepliesFromTheEnisAddressThroughIt() throws Exception {
        EniFixture fixture = fixture();
        fixture.plugIn(fixture.namespaceA, 0);
        EniResource resource = fixture.create(fixture.typeA, fixture.block() + ", device-index = 2");
        String address = fixture.topology.dedicatedEni().privateAddress();

        resource.restore(fixture.onA());

        assertThat(fixture.namespaceA.ip("-4", "rule", "show")).contains("from " + address + " lookup 10002");
        assertThat(table(fixture, 2)).contains("default via 10.0.1.1 dev " + EniFixture.link(0))
                .contains("10.0.1.0/24 dev " + EniFixture.link(0));

        resource.remove(fixture.onA());

        assertThat(fixture.namespaceA.ip("-4", "rule", "show")).doesNotContain("from " + address + " ");
        assertThat(table(fixture, 2)).isBlank();
    }

    @Test
    void upAndDownCommandsReplaceTheBuiltInConfiguration() throws Exception {
        EniFixture fixture = fixture();
        fixture.plugIn(fixture.namespaceA, 0);
        EniResource resource = fixture.create(fixture.typeA, fixture.block()
                + ", up-command = [sh, -c, \"ip link set {device} up && ip addr add {address}/{prefix} dev {device}\"]"
                + ", down-command = [sh, -c, \"ip addr flush dev {device} && ip link set {device} down\"]");
        String address = fixture.topology.dedicatedEni().privateAddress();

        resource.restore(fixture.onA());

        assertThat(fixture.namespaceA.addresses(EniFixture.link(0))).containsExactly(fixture.cidr());
        assertThat(fixture.namespaceA.ip("-4", "rule", "show")).doesNotContain("from " + address + " ");
        assertThat(resource.check(fixture.onA()).status()).isEqualTo(CheckResult.Status.HEALTHY);

        resource.remove(fixture.onA());

        assertThat(fixture.namespaceA.addresses(EniFixture.link(0))).isEmpty();
        assertThat(fixture.namespaceA.isUp(EniFixture.link(0))).isFalse();
    }

    @Test
    void aFailingUpCommandFailsRestoreWithItsOutput() throws Exception {
        EniFixture fixture = fixture();
        fixture.plugIn(fixture.namespaceA, 0);
        EniResource resource = fixture.create(fixture.typeA, fixture.block()
                + ", up-command = [sh, -c, \"echo no DHCP answer for {device} >&2; exit 3\"]");

        KawariException failure = catchThrowableOfType(KawariException.class, () -> resource.restore(fixture.onA()));

        assertThat(failure.code()).isEqualTo(AwsErrorCodes.LOCAL_COMMAND_FAILED);
        assertThat(failure.getMessage()).contains("up-command failed").contains("exited 3")
                .contains("no DHCP answer for " + EniFixture.link(0));
    }

    /** The interface appears in the operating system some time after the attachment: restore waits for it. */
    @Test
    void restoreWaitsForTheInterfaceToAppear() throws Exception {
        EniFixture fixture = fixture();
        EniResource resource = fixture.create(fixture.typeA, fixture.block());
        AtomicInteger pauses = new AtomicInteger();
        OperationContext restoring = OperationContexts.builder().node(fixture.identityA())
                .deadline(Duration.ofSeconds(30))
                .sleeper(duration -> {
                    if (pauses.incrementAndGet() == 2) {
                        fixture.plugIn(fixture.namespaceA, 0);
                    }
                })
                .build();

        resource.restore(restoring);

        assertThat(pauses).hasValue(2);
        assertThat(fixture.namespaceA.addresses(EniFixture.link(0))).containsExactly(fixture.cidr());
    }

    @Test
    void anInterfaceThatNeverAppearsFailsAtTheDeadline() throws Exception {
        EniFixture fixture = fixture();
        EniResource resource = fixture.create(fixture.typeA, fixture.block());

        KawariException failure = catchThrowableOfType(KawariException.class, () -> resource.restore(
                EniFixture.on(fixture.identityA(), Duration.ofSeconds(2))));

        assertThat(failure.code()).isEqualTo(AwsErrorCodes.AWS_CHANGE_NOT_VISIBLE);
        assertThat(failure.getMessage()).contains(fixture.topology.dedicatedEni().mac());
    }

    /** A detach that AWS accepts but that never completes (a hung instance, without force) stops at the deadline. */
    @Test
    void aDetachThatNeverCompletesFailsAtTheDeadlineNamingTheHolder() throws Exception {
        EniFixture fixture = fixture();
        fixture.plugIn(fixture.namespaceA, 0);
        fixture.create(fixture.typeA, fixture.block()).restore(fixture.onA());
        try (AwsFaultInjector proxy = AwsFaultInjector.start(aws.endpoint().uri())) {
            proxy.fail(request -> request.is("DetachNetworkInterface"), AwsFaultInjector.Fault.accept());
            EniResource onB = fixture.create(fixture.typeB, fixture.block(), proxy.uri());

            KawariException failure = catchThrowableOfType(KawariException.class, () -> onB.restore(
                    EniFixture.on(fixture.identityB(), Duration.ofSeconds(2))));

            assertThat(failure.code()).isEqualTo(AwsErrorCodes.AWS_CHANGE_NOT_VISIBLE);
            assertThat(failure.retryable()).isTrue();
            assertThat(failure.getMessage()).contains("still attached to " + fixture.topology.nodeA().instanceId());
            assertThat(fixture.attachedTo()).contains(fixture.topology.nodeA().instanceId());
        }
    }

    @Test
    void restoreOfWhatIsAlreadyInPlaceOnlyReads() throws Exception {
        EniFixture fixture = fixture();
        fixture.plugIn(fixture.namespaceA, 0);
        EniResource resource = fixture.create(fixture.typeA, fixture.block());
        resource.restore(fixture.onA());
        OperationContext again = fixture.onA();

        resource.restore(again);

        RecordingEventSink.Note calls = OperationContexts.recorded(again).notes().stream()
                .filter(note -> note.message().startsWith("restore made")).findFirst().orElseThrow();
        assertThat(calls.details()).containsOnlyKeys("aws.ec2:DescribeNetworkInterfaces")
                .containsEntry("aws.ec2:DescribeNetworkInterfaces", "1");
    }

    /** Acceptance 2: every ENI check of a node shares one DescribeNetworkInterfaces per tick. */
    @Test
    void checksOfManyEnisShareOneDescribePerTick() throws Exception {
        int count = 8;
        EniFixture fixture = fixture(Ec2Topology.builder().oneSubnet().dedicatedEnis(count));
        List<EniResource> resources = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            fixture.plugIn(fixture.namespaceA, i);
            EniResource resource = fixture.create(fixture.typeA, "eni-id = \""
                    + fixture.topology.dedicatedEnis().get(i).id() + "\", device-index = " + (i + 1));
            resource.restore(fixture.onA());
            resources.add(resource);
        }
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            for (int tick = 0; tick < 3; tick++) {
                fixture.nextTick();
                ApiCallCounts before = ApiCallCounter.process().snapshot();
                List<Future<CheckResult>> checks = new ArrayList<>();
                for (EniResource resource : resources) {
                    Callable<CheckResult> check = () -> resource.check(EniFixture.on(fixture.identityA(),
                            Duration.ofSeconds(10)));
                    checks.add(pool.submit(check));
                }
                for (Future<CheckResult> check : checks) {
                    assertThat(check.get().status()).isEqualTo(CheckResult.Status.HEALTHY);
                }
                ApiCallCounts made = ApiCallCounter.process().snapshot().since(before);

                assertThat(made.of("ec2:DescribeNetworkInterfaces")).as("describes in tick %d of %d checks", tick,
                        count).isEqualTo(1);
                assertThat(made.total()).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void throttledChecksAreUnknown() throws Exception {
        EniFixture fixture = fixture();
        fixture.plugIn(fixture.namespaceA, 0);
        try (AwsFaultInjector faults = AwsFaultInjector.start(aws.endpoint().uri())) {
            EniResource resource = fixture.create(fixture.typeA, fixture.block(), faults.uri());
            resource.restore(fixture.onA());
            fixture.nextTick();
            faults.throttleAll();

            CheckResult result = resource.check(fixture.onA());

            assertThat(result.status()).isEqualTo(CheckResult.Status.UNKNOWN);
            assertThat(result.reason()).contains("AWS_THROTTLED").contains("ec2:DescribeNetworkInterfaces");
        }
    }

    @Test
    void restoreRetriesThroughThrottlingAndSucceedsOnceItStops() throws Exception {
        EniFixture fixture = fixture();
        fixture.plugIn(fixture.namespaceA, 0);
        try (AwsFaultInjector faults = AwsFaultInjector.start(aws.endpoint().uri())) {
            EniResource resource = fixture.create(fixture.typeA, fixture.block(), faults.uri());
            faults.throttle(request -> request.is("AttachNetworkInterface"));
            CompletableFuture<Void> restore = CompletableFuture.runAsync(() -> {
                try {
                    resource.restore(EniFixture.on(fixture.identityA(), Duration.ofSeconds(30)));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (faults.faulted("AttachNetworkInterface") < 3 && System.nanoTime() - until < 0) {
                Thread.sleep(50);
            }
            assertThat(restore).isNotDone();

            faults.passAll();
            restore.get(30, TimeUnit.SECONDS);

            assertThat(fixture.attachedTo()).contains(fixture.topology.nodeA().instanceId());
        }
    }
}
