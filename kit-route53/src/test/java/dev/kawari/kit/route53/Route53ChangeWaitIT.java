package dev.kawari.kit.route53;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kawari.spi.CheckResult;
import dev.kawari.spi.ErrorType;
import dev.kawari.spi.KawariException;
import dev.kawari.spi.OperationContext;
import dev.kawari.testkit.FakeClock;
import dev.kawari.testkit.OperationContexts;
import dev.kawari.testkit.aws.AwsEndpointExtension;
import dev.kawari.testkit.aws.AwsFaultInjector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Waiting for a change to be {@code INSYNC}, and Route 53's faults. The emulator reports every change
 * {@code INSYNC} at once (moto answers INSYNC to ChangeResourceRecordSets and to every GetChange);
 * AWS reports {@code PENDING} until the change has reached all its DNS servers, usually within a
 * minute. The fault injector between the kit and the emulator rewrites the status of those two
 * answers to {@code PENDING}, for a number of polls or for ever, so the kit meets what AWS does.
 */
class Route53ChangeWaitIT {
    @RegisterExtension
    static final AwsEndpointExtension aws = new AwsEndpointExtension();

    private Route53Fixture fixture;
    private AwsFaultInjector faults;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new Route53Fixture(aws.endpoint());
        faults = AwsFaultInjector.start(aws.endpoint().uri());
    }

    @AfterEach
    void tearDown() {
        faults.close();
        fixture.close();
    }

    @Test
    void aChangeThatStaysPendingIsPolledWithBackoffAndTimesOutWithinTheDeadline() {
        faults.keepRoute53ChangesPending(Integer.MAX_VALUE);
        FakeClock clock = new FakeClock();
        List<Duration> pauses = Collections.synchronizedList(new ArrayList<>());
        // Time passes only in the pauses: the whole deadline is lived through without waiting for it.
        Route53ResourceType type = new Route53ResourceType(Route53Fixture.NO_IMDS, Duration.ofMillis(500), clock, clock);
        Route53Resource resource = fixture.create(type, fixture.block(), faults.uri());
        Duration deadline = Duration.ofMinutes(2);
        OperationContext context = OperationContexts.builder().node(fixture.identityA()).time(clock)
                .sleeper(pause -> {
                    pauses.add(pause);
                    clock.advance(pause);
                }).deadline(deadline).build();
        long start = clock.nanoTime();

        KawariException failure = catchThrowableOfType(KawariException.class, () -> resource.restore(context));

        assertThat(failure).as("restore of a change that never gets INSYNC").isNotNull();
        assertThat(failure.code()).isEqualTo(Route53Resource.CHANGE_PENDING);
        assertThat(failure.type()).isEqualTo(ErrorType.TIMEOUT);
        assertThat(failure.getMessage()).contains("still PENDING").contains("UPSERT " + Route53Fixture.NAME);
        Duration lived = Duration.ofNanos(clock.nanoTime() - start);
        assertThat(lived).isLessThanOrEqualTo(deadline);
        long polls = faults.forwarded("GetChange");
        assertThat(pauses).hasSize((int) polls);
        // 1 s doubling to 10 s, drawn from the upper half of each step: about 15 polls in 2 minutes, not 120.
        assertThat(polls).isBetween(10L, 30L);
        for (int i = 0; i < pauses.size() - 1; i++) {
            Duration ceiling = Route53Resource.FIRST_POLL.multipliedBy(1L << Math.min(i, 4));
            ceiling = ceiling.compareTo(Route53Resource.LONGEST_POLL) > 0 ? Route53Resource.LONGEST_POLL : ceiling;
            assertThat(pauses.get(i)).as("pause %d", i).isBetween(ceiling.dividedBy(2), ceiling);
        }
        assertThat(pauses.subList(5, pauses.size() - 1)).allSatisfy(pause ->
                assertThat(pause).isGreaterThanOrEqualTo(Route53Resource.LONGEST_POLL.dividedBy(2)));
        assertThat(fixture.addresses(Route53Fixture.NAME)).containsExactly(fixture.topology.nodeA().privateAddress());
    }

    @Test
    void aPendingChangeEndsInATimeoutErrorOnTheRealClockToo() {
        faults.keepRoute53ChangesPending(Integer.MAX_VALUE);
        Route53Resource resource = fixture.create(fixture.typeA, fixture.block(), faults.uri());
        Duration deadline = Duration.ofSeconds(4);
        long start = System.nanoTime();

        KawariException failure = catchThrowableOfType(KawariException.class,
                () -> resource.restore(Route53Fixture.on(fixture.identityA(), deadline)));

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(failure.code()).isEqualTo(Route53Resource.CHANGE_PENDING);
        assertThat(took).isLessThan(deadline.plusSeconds(1));
        assertThat(faults.forwarded("GetChange")).isBetween(2L, 4L);
    }

    @Test
    void aChangeThatGetsInSyncAfterSomePollsCompletesTheRestore() throws Exception {
        faults.keepRoute53ChangesPending(2);
        Route53Resource resource = fixture.create(fixture.typeA, fixture.block(), faults.uri());
        OperationContext context = fixture.onA();

        resource.restore(context);

        assertThat(faults.forwarded("ChangeResourceRecordSets")).isEqualTo(1);
        assertThat(faults.forwarded("GetChange")).isEqualTo(3);
        assertThat(OperationContexts.recorded(context).messages()).anyMatch(message -> message.contains("is INSYNC"));
    }

    @Test
    void aRetriedRestoreWaitsForItsOwnEarlierChangeInsteadOfTrustingTheRecord() throws Exception {
        faults.keepRoute53ChangesPending(Integer.MAX_VALUE);
        Route53Resource resource = fixture.create(fixture.typeA, fixture.block(), faults.uri());
        catchThrowableOfType(KawariException.class, () -> resource.restore(Route53Fixture.on(fixture.identityA(),
                Duration.ofSeconds(2))));
        assertThat(fixture.addresses(Route53Fixture.NAME)).containsExactly(fixture.topology.nodeA().privateAddress());
        long pollsBefore = faults.forwarded("GetChange");

        KawariException again = catchThrowableOfType(KawariException.class,
                () -> resource.restore(Route53Fixture.on(fixture.identityA(), Duration.ofSeconds(2))));

        assertThat(again.code()).isEqualTo(Route53Resource.CHANGE_PENDING);
        assertThat(faults.forwarded("ChangeResourceRecordSets")).isEqualTo(1);
        assertThat(faults.forwarded("GetChange")).isGreaterThan(pollsBefore);

        faults.passAll();
        resource.restore(fixture.onA());
    }

    @Test
    void restoreRetriesThroughRoute53ThrottlingAndSucceedsOnceItStops() throws Exception {
        Route53Resource resource = fixture.create(fixture.typeA, fixture.block(), faults.uri());
        faults.fail(request -> request.isRoute53(), AwsFaultInjector.Fault.route53Throttle());
        CompletableFuture<Void> restore = CompletableFuture.runAsync(() -> {
            try {
                resource.restore(Route53Fixture.on(fixture.identityA(), Duration.ofSeconds(30)));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (faults.faulted("ListResourceRecordSets") < 3 && System.nanoTime() - until < 0) {
            Thread.sleep(50);
        }
        assertThat(restore).isNotDone();

        faults.passAll();
        restore.get(30, TimeUnit.SECONDS);

        assertThat(fixture.addresses(Route53Fixture.NAME)).containsExactly(fixture.topology.nodeA().privateAddress());
    }

    @Test
    void throttledChecksAreUnknownNotUnhealthy() throws Exception {
        Route53Resource resource = fixture.create(fixture.typeA, fixture.block(), faults.uri());
        resource.restore(fixture.onA());
        fixture.nextTick();
        faults.fail(request -> request.isRoute53(), AwsFaultInjector.Fault.route53Throttle());

        CheckResult result = resource.check(fixture.onA());

        assertThat(result.status()).isEqualTo(CheckResult.Status.UNKNOWN);
        assertThat(result.reason()).contains("AWS_THROTTLED").contains("route53:ListResourceRecordSets");
    }

    @Test
    void aSlowApiMakesTheCheckUnknownBeforeItsTimeout() throws Exception {
        Route53Resource resource = fixture.create(fixture.typeA, fixture.block(), faults.uri());
        resource.restore(fixture.onA());
        fixture.nextTick();
        faults.slowAll(Duration.ofSeconds(30));
        long start = System.nanoTime();

        CheckResult result = resource.check(Route53Fixture.on(fixture.identityA(), Duration.ofSeconds(1)));

        assertThat(result.status()).isEqualTo(CheckResult.Status.UNKNOWN);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void aRefusedPermissionNamesTheIamAction() {
        Route53Resource resource = fixture.create(fixture.typeA, fixture.block(), faults.uri());
        faults.fail(request -> request.is("ChangeResourceRecordSets"),
                AwsFaultInjector.Fault.error(403, "AccessDenied", "User is not authorized to perform"
                        + " route53:ChangeResourceRecordSets"));

        KawariException refused = catchThrowableOfType(KawariException.class, () -> resource.restore(fixture.onA()));

        assertThat(refused.type()).isEqualTo(ErrorType.CONFIGURATION);
        assertThat(refused.retryable()).isFalse();
        assertThat(refused.getMessage()).contains("route53:ChangeResourceRecordSets is not allowed")
                .contains("kawari-fault-");
    }
}
