package dev.kawari.kit.secondaryip;

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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The secondary IP against the emulator, with each node's operating system in a network namespace.
 *
 * <p>The emulator copies a reassigned address instead of moving it (both interfaces show it
 * afterwards), while AWS moves it. These tests assert only what holds on both: where the address is
 * after a graceful switchover (remove, then restore), and that the new holder has it after a takeover.
 * What only AWS does is stated in {@link AwsBehaviourLiveIT}.
 */
class SecondaryIpIT {
    @RegisterExtension
    static final AwsEndpointExtension aws = new AwsEndpointExtension();

    private SecondaryIpFixture fixture;

    @BeforeEach
    void buildTopology() {
        fixture = new SecondaryIpFixture(aws.endpoint());
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    void theAddressMovesFromNodeAToNodeBAndBack() throws Exception {
        SecondaryIpResource onA = fixture.create(fixture.typeA, fixture.block());
        SecondaryIpResource onB = fixture.create(fixture.typeB, fixture.block());

        onA.restore(fixture.onA());

        assertThat(fixture.onEniA()).contains(fixture.address);
        assertThat(fixture.onEniB()).doesNotContain(fixture.address);
        assertThat(fixture.namespaceA.addresses()).contains(fixture.local());
        assertThat(fixture.namespaceB.addresses()).doesNotContain(fixture.local());
        assertThat(onA.check(fixture.onA()).status()).isEqualTo(CheckResult.Status.HEALTHY);
        CheckResult bBeforeMove = onB.check(fixture.onB());
        assertThat(bBeforeMove.status()).isEqualTo(CheckResult.Status.UNHEALTHY);
        assertThat(bBeforeMove.reason()).contains(fixture.address).contains(fixture.topology.nodeB().eni());

        onA.remove(fixture.onA());
        onB.restore(fixture.onB());

        assertThat(fixture.onEniA()).doesNotContain(fixture.address);
        assertThat(fixture.onEniB()).contains(fixture.address);
        assertThat(fixture.namespaceA.addresses()).doesNotContain(fixture.local());
        assertThat(fixture.namespaceB.addresses()).contains(fixture.local());
        fixture.nextTick();
        assertThat(onB.check(fixture.onB()).status()).isEqualTo(CheckResult.Status.HEALTHY);
        CheckResult aAfterMove = onA.check(fixture.onA());
        assertThat(aAfterMove.status()).isEqualTo(CheckResult.Status.UNHEALTHY);
        assertThat(aAfterMove.reason()).contains(fixture.address).contains(fixture.topology.nodeA().eni());

        onB.remove(fixture.onB());
        onA.restore(fixture.onA());

        assertThat(fixture.onEniA()).contains(fixture.address);
        assertThat(fixture.onEniB()).doesNotContain(fixture.address);
        assertThat(fixture.namespaceA.addresses()).contains(fixture.local());
        assertThat(fixture.namespaceB.addresses()).doesNotContain(fixture.local());
        fixture.nextTick();
        assertThat(onA.check(fixture.onA()).status()).isEqualTo(CheckResult.Status.HEALTHY);
        assertThat(onB.check(fixture.onB()).status()).isEqualTo(CheckResult.Status.UNHEALTHY);
    }

    /** A takeover after node A failed (no remove on A): the new holder has the address, on AWS and the emulator alike. */
    @Test
    void aTakeoverAssignsTheAddressToTheNewHolderWithReassignment() throws Exception {
        SecondaryIpResource onA = fixture.create(fixture.typeA, fixture.block());
        SecondaryIpResource onB = fixture.create(fixture.typeB, fixture.block());
        onA.restore(fixture.onA());

        onB.restore(fixture.onB());

        assertThat(fixture.onEniB()).contains(fixture.address);
        assertThat(fixture.namespaceB.addresses()).contains(fixture.local());
        fixture.nextTick();
        assertThat(onB.check(fixture.onB()).status()).isEqualTo(CheckResult.Status.HEALTHY);
        // Node A's interface: AWS has moved the address away (AwsBehaviourLiveIT); the emulator still
        // shows a copy. Neither is asserted here.
    }

    /** After a takeover, the old holder's remove never takes the address from the new holder. */
    @Test
    void removeOnTheOldHolderLeavesTheNewHolderAlone() throws Exception {
        SecondaryIpResource onA = fixture.create(fixture.typeA, fixture.block());
        SecondaryIpResource onB = fixture.create(fixture.typeB, fixture.block());
        onA.restore(fixture.onA());
        onB.restore(fixture.onB());

        onA.remove(fixture.onA());

        assertThat(fixture.onEniA()).doesNotContain(fixture.address);
        assertThat(fixture.onEniB()).contains(fixture.address);
        assertThat(fixture.namespaceA.addresses()).doesNotContain(fixture.local());
        fixture.nextTick();
        assertThat(onB.check(fixture.onB()).status()).isEqualTo(CheckResult.Status.HEALTHY);
        assertThat(onA.check(fixture.onA()).status()).isEqualTo(CheckResult.Status.UNHEALTHY);
    }

    @Test
    void restoreSendsAllowReassignmentAndReportsItsCalls() throws Exception {
        try (AwsFaultInjector proxy = AwsFaultInjector.start(aws.endpoint().uri())) {
            List<String> reassignment = new ArrayList<>();
            proxy.fail(request -> {
                if (request.is("AssignPrivateIpAddresses")) {
                    reassignment.add(request.parameter("AllowReassignment"));
                }
                return false;
            }, AwsFaultInjector.Fault.delay(Duration.ZERO));
            SecondaryIpResource resource = fixture.create(fixture.typeA, fixture.block(), proxy.uri());
            OperationContext restoring = fixture.onA();

            resource.restore(restoring);

            assertThat(reassignment).containsExactly("true");
            RecordingEventSink.Note calls = OperationContexts.recorded(restoring).notes().stream()
                    .filter(note -> note.message().startsWith("restore made")).findFirst().orElseThrow();
            assertThat(calls.details()).containsEntry("aws.ec2:AssignPrivateIpAddresses", "1")
                    .containsEntry("aws.ec2:DescribeNetworkInterfaces", "2");
        }
    }

    @Test
    void restoreOfWhatIsAlreadyInPlaceOnlyReads() throws Exception {
        SecondaryIpResource resource = fixture.create(fixture.typeA, fixture.block());
        resource.restore(fixture.onA());
        OperationContext again = fixture.onA();

        resource.restore(again);

        RecordingEventSink.Note calls = OperationContexts.recorded(again).notes().stream()
                .filter(note -> note.message().startsWith("restore made")).findFirst().orElseThrow();
        assertThat(calls.details()).containsOnlyKeys("aws.ec2:DescribeNetworkInterfaces")
                .containsEntry("aws.ec2:DescribeNetworkInterfaces", "1");
    }

    /**
     * AWS moves the address asynchronously: the assignment is accepted before the interface shows it.
     * Here the proxy accepts it without passing it on, and the change "arrives" while restore waits.
     */
    @Test
    void restoreWaitsUntilAwsShowsTheAddressOnThisInterface() throws Exception {
        try (AwsFaultInjector proxy = AwsFaultInjector.start(aws.endpoint().uri())) {
            proxy.fail(request -> request.is("AssignPrivateIpAddresses"), AwsFaultInjector.Fault.accept());
            SecondaryIpResource resource = fixture.create(fixture.typeA, fixture.block(), proxy.uri());
            AtomicInteger pauses = new AtomicInteger();
            OperationContext restoring = OperationContexts.builder().node(fixture.identityA())
                    .deadline(Duration.ofSeconds(30))
                    .sleeper(duration -> {
                        if (pauses.incrementAndGet() == 3) {
                            fixture.ec2.assignPrivateIpAddresses(request -> request
                                    .networkInterfaceId(fixture.topology.nodeA().eni())
                                    .privateIpAddresses(fixture.address).allowReassignment(true));
                        }
                    })
                    .build();

            resource.restore(restoring);

            assertThat(pauses).hasValue(3);
            assertThat(fixture.namespaceA.addresses()).contains(fixture.local());
            assertThat(resource.check(fixture.onA()).status()).isEqualTo(CheckResult.Status.HEALTHY);
        }
    }

    @Test
    void anAssignmentThatNeverShowsFailsAtTheDeadlineWithoutTheLocalAddress() throws Exception {
        try (AwsFaultInjector proxy = AwsFaultInjector.start(aws.endpoint().uri())) {
            proxy.fail(request -> request.is("AssignPrivateIpAddresses"), AwsFaultInjector.Fault.accept());
            SecondaryIpResource resource = fixture.create(fixture.typeA, fixture.block(), proxy.uri());

            KawariException failure = catchThrowableOfType(KawariException.class, () -> resource.restore(
                    SecondaryIpFixture.on(fixture.identityA(), Duration.ofSeconds(2))));

            assertThat(failure.code()).isEqualTo(AwsErrorCodes.AWS_CHANGE_NOT_VISIBLE);
            assertThat(failure.retryable()).isTrue();
            assertThat(failure.getMessage()).contains(fixture.address).contains(fixture.topology.nodeA().eni());
            assertThat(fixture.namespaceA.addresses()).doesNotContain(fixture.local());
        }
    }

    @Test
    void withoutUnassignOnRemoveTheAddressStaysOnTheInterface() throws Exception {
        SecondaryIpResource resource = fixture.create(fixture.typeA, fixture.block() + ", unassign-on-remove = false");
        resource.restore(fixture.onA());

        resource.remove(fixture.onA());

        assertThat(fixture.onEniA()).contains(fixture.address);
        assertThat(fixture.namespaceA.addresses()).doesNotContain(fixture.local());
        assertThat(resource.check(fixture.onA()).status()).isEqualTo(CheckResult.Status.UNHEALTHY);
    }

    @Test
    void withoutLocalAddressTheOperatingSystemIsLeftAlone() throws Exception {
        SecondaryIpResource resource = fixture.create(fixture.typeA, fixture.block() + ", local-address = false");

        resource.restore(fixture.onA());

        assertThat(fixture.onEniA()).contains(fixture.address);
        assertThat(fixture.namespaceA.addresses()).doesNotContain(fixture.local());
        assertThat(resource.check(fixture.onA()).status()).isEqualTo(CheckResult.Status.HEALTHY);
    }

    @Test
    void aLostLocalAddressMakesTheCheckUnhealthyAndRecoverPutsItBackWithoutAssigningAgain() throws Exception {
        SecondaryIpResource resource = fixture.create(fixture.typeA, fixture.block());
        resource.restore(fixture.onA());
        fixture.namespaceA.ip("addr", "del", fixture.local(), "dev", fixture.namespaceA.device());
        fixture.nextTick();

        CheckResult broken = resource.check(fixture.onA());
        OperationContext recovering = fixture.onA();
        resource.recover(recovering);

        assertThat(broken.status()).isEqualTo(CheckResult.Status.UNHEALTHY);
        assertThat(broken.reason()).contains("is not on " + fixture.namespaceA.device());
        assertThat(fixture.namespaceA.addresses()).contains(fixture.local());
        RecordingEventSink.Note calls = OperationContexts.recorded(recovering).notes().stream()
                .filter(note -> note.message().startsWith("recover made")).findFirst().orElseThrow();
        assertThat(calls.details()).doesNotContainKey("aws.ec2:AssignPrivateIpAddresses");
        assertThat(resource.check(fixture.onA()).status()).isEqualTo(CheckResult.Status.HEALTHY);
    }

    /** Acceptance 2: every secondary-IP check of a node shares one DescribeNetworkInterfaces per tick. */
    @Test
    void checksOfManyAddressesShareOneDescribePerTick() throws Exception {
        List<SecondaryIpResource> resources = new ArrayList<>();
        String prefix = fixture.address.substring(0, fixture.address.lastIndexOf('.') + 1);
        for (int i = 0; i < 20; i++) {
            resources.add(fixture.create(fixture.typeA, "address = \"" + prefix + (200 + i) + "\", local-address = false"));
        }
        for (SecondaryIpResource resource : resources) {
            resource.restore(fixture.onA());
        }
        ExecutorService pool = Executors.newFixedThreadPool(resources.size());
        try {
            for (int tick = 0; tick < 3; tick++) {
                fixture.nextTick();
                ApiCallCounts before = ApiCallCounter.process().snapshot();
                List<Future<CheckResult>> checks = new ArrayList<>();
                for (SecondaryIpResource resource : resources) {
                    Callable<CheckResult> check = () -> resource.check(SecondaryIpFixture.on(fixture.identityA(),
                            Duration.ofSeconds(10)));
                    checks.add(pool.submit(check));
                }
                for (Future<CheckResult> check : checks) {
                    assertThat(check.get().status()).isEqualTo(CheckResult.Status.HEALTHY);
                }
                ApiCallCounts made = ApiCallCounter.process().snapshot().since(before);

                assertThat(made.of("ec2:DescribeNetworkInterfaces")).as("describes in tick %d of 20 checks", tick)
                        .isEqualTo(1);
                assertThat(made.total()).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void throttledChecksAreUnknown() throws Exception {
        try (AwsFaultInjector faults = AwsFaultInjector.start(aws.endpoint().uri())) {
            SecondaryIpResource resource = fixture.create(fixture.typeA, fixture.block(), faults.uri());
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
        try (AwsFaultInjector faults = AwsFaultInjector.start(aws.endpoint().uri())) {
            SecondaryIpResource resource = fixture.create(fixture.typeA, fixture.block(), faults.uri());
            faults.throttle(request -> request.is("AssignPrivateIpAddresses"));
            CompletableFuture<Void> restore = CompletableFuture.runAsync(() -> {
                try {
                    resource.restore(SecondaryIpFixture.on(fixture.identityA(), Duration.ofSeconds(30)));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (faults.faulted("AssignPrivateIpAddresses") < 3 && System.nanoTime() - until < 0) {
                Thread.sleep(50);
            }
            assertThat(restore).isNotDone();

            faults.passAll();
            restore.get(30, TimeUnit.SECONDS);

            assertThat(fixture.onEniA()).contains(fixture.address);
        }
    }

    @Test
    void aRefusedPermissionIsAConfigurationErrorNamingTheAction() throws Exception {
        try (AwsFaultInjector faults = AwsFaultInjector.start(aws.endpoint().uri())) {
            faults.fail(request -> request.is("AssignPrivateIpAddresses"), AwsFaultInjector.Fault.error(403,
                    "UnauthorizedOperation", "You are not authorized to perform this operation."));
            SecondaryIpResource resource = fixture.create(fixture.typeA, fixture.block(), faults.uri());

            KawariException failure = catchThrowableOfType(KawariException.class, () -> resource.restore(fixture.onA()));

            assertThat(failure.code()).isEqualTo(AwsErrorCodes.AWS_ACCESS_DENIED);
            assertThat(failure.getMessage()).contains("ec2:AssignPrivateIpAddresses").contains("kawari iam-policy");
        }
    }
}
