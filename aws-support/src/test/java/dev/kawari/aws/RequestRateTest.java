package dev.kawari.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kawari.spi.OperationContext;
import dev.kawari.testkit.FakeClock;
import dev.kawari.testkit.OperationContexts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The client-side token bucket that keeps a process within an API's per-account rate. */
class RequestRateTest {
    private final FakeClock clock = new FakeClock();

    @Test
    void aBurstGoesAtOnceThenPermitsComeAtTheRate() {
        RequestRate rate = new RequestRate(5, 5, "route53", clock);

        for (int i = 0; i < 5; i++) {
            assertThat(rate.reserve(Duration.ZERO)).contains(Duration.ZERO);
        }
        assertThat(rate.reserve(Duration.ofSeconds(1))).contains(Duration.ofMillis(200));
        assertThat(rate.reserve(Duration.ofSeconds(1))).contains(Duration.ofMillis(400));
        clock.advance(Duration.ofMillis(400));
        assertThat(rate.reserve(Duration.ofSeconds(1))).contains(Duration.ofMillis(200));
    }

    @Test
    void aCallerThatCannotWaitLongEnoughBooksNothing() {
        RequestRate rate = new RequestRate(5, 1, "route53", clock);
        rate.reserve(Duration.ZERO);

        assertThat(rate.reserve(Duration.ofMillis(100))).isEmpty();
        assertThat(rate.reserve(Duration.ofMillis(200))).contains(Duration.ofMillis(200));
    }

    @Test
    void aQuietPeriodRefillsNoMoreThanTheBurst() {
        RequestRate rate = new RequestRate(5, 2, "route53", clock);
        rate.reserve(Duration.ZERO);
        rate.reserve(Duration.ZERO);

        clock.advance(Duration.ofMinutes(10));

        assertThat(rate.reserve(Duration.ZERO)).contains(Duration.ZERO);
        assertThat(rate.reserve(Duration.ZERO)).contains(Duration.ZERO);
        assertThat(rate.reserve(Duration.ZERO)).isEmpty();
    }

    @Test
    void acquireWaitsThroughTheSleeperAndRefusesWhenTheDeadlineIsTooShort() {
        RequestRate rate = new RequestRate(5, 1, "route53", clock);
        List<Duration> slept = new ArrayList<>();
        OperationContext context = OperationContexts.builder().time(clock).sleeper(duration -> {
            slept.add(duration);
            clock.advance(duration);
        }).deadline(Duration.ofMillis(300)).build();

        rate.acquire(context, "route53:GetChange", Duration.ofSeconds(10));
        rate.acquire(context, "route53:GetChange", Duration.ofSeconds(10));
        AwsException refused = catchThrowableOfType(AwsException.class,
                () -> rate.acquire(context, "route53:GetChange", Duration.ofSeconds(10)));

        assertThat(slept).containsExactly(Duration.ofMillis(200));
        assertThat(refused.code()).isEqualTo(AwsErrorCodes.AWS_THROTTLED);
        assertThat(refused.retryable()).isTrue();
        assertThat(refused.getMessage()).contains("route53:GetChange was not sent").contains("5.0 per second");
    }

    @Test
    void anOperationLimitedByARateSpacesItsRequests() throws Exception {
        ExecutorService executor = Executors.newCachedThreadPool();
        try {
            RequestRate rate = new RequestRate(5, 1, "route53", clock);
            List<Duration> slept = new ArrayList<>();
            OperationContext context = OperationContexts.builder().time(clock).sleeper(duration -> {
                slept.add(duration);
                clock.advance(duration);
            }).deadline(Duration.ofSeconds(30)).build();
            AwsOperation calls = new AwsCalls(executor).on(context, rate);
            AtomicInteger sent = new AtomicInteger();

            for (int i = 0; i < 3; i++) {
                calls.act("route53:ListResourceRecordSets", limits -> sent.incrementAndGet());
            }

            calls.act("ec2:DescribeNetworkInterfaces", limits -> sent.incrementAndGet());

            assertThat(sent).hasValue(4);
            assertThat(slept).containsExactly(Duration.ofMillis(200), Duration.ofMillis(200));
            assertThat(calls.counts().of("route53:ListResourceRecordSets")).isEqualTo(3);
            assertThat(Optional.of(rate.perSecond())).contains(5.0);
        } finally {
            executor.shutdownNow();
        }
    }
}
