package dev.kawari.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kawari.spi.KawariException;
import dev.kawari.testkit.FakeClock;
import dev.kawari.testkit.OperationContexts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One describe per tick, whatever the number of checks that need it. */
class SharedDescribeTest {
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final AwsCalls calls = new AwsCalls(executor);
    private final FakeClock clock = new FakeClock();
    private final SharedDescribe<String, Integer> shared = new SharedDescribe<>(Duration.ofMillis(500), clock);
    private final AtomicInteger describes = new AtomicInteger();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private AwsOperation check() {
        return calls.on(OperationContexts.builder().deadline(Duration.ofSeconds(10)).build());
    }

    private Integer get(AwsCall<Integer> describe) {
        return shared.get("vpc-1", check(), "ec2:DescribeRouteTables", describe);
    }

    @Test
    void concurrentChecksShareTheCallInFlight() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService checks = Executors.newFixedThreadPool(20);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                answers.add(checks.submit(() -> get(limits -> {
                    describes.incrementAndGet();
                    try {
                        release.await(5, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return 42;
                })));
            }
            Thread.sleep(300); // every check is now waiting for the one call
            release.countDown();
            for (Future<Integer> answer : answers) {
                assertThat(answer.get(5, TimeUnit.SECONDS)).isEqualTo(42);
            }
        } finally {
            checks.shutdownNow();
        }

        assertThat(describes).hasValue(1);
    }

    @Test
    void anAnswerIsReusedWithinTheFreshnessWindowOnly() {
        AwsCall<Integer> describe = limits -> describes.incrementAndGet();

        int first = get(describe);
        clock.advance(Duration.ofMillis(400));
        int reused = get(describe);
        clock.advance(Duration.ofMillis(100));
        int fresh = get(describe);

        assertThat(first).isEqualTo(1);
        assertThat(reused).isEqualTo(1);
        assertThat(fresh).isEqualTo(2);
    }

    @Test
    void aFailureIsSharedForTheTickToo() {
        AwsCall<Integer> throttled = limits -> {
            describes.incrementAndGet();
            throw new AwsException(AwsErrorCodes.AWS_THROTTLED, true, "ec2:DescribeRouteTables", "RequestLimitExceeded",
                    "r", "throttled", null);
        };

        for (int i = 0; i < 5; i++) {
            try {
                get(throttled);
            } catch (KawariException e) {
                assertThat(e.code()).isEqualTo(AwsErrorCodes.AWS_THROTTLED);
            }
        }

        assertThat(describes).hasValue(1);
    }

    @Test
    void whatAnActionOffersIsWhatTheNextCheckSees() {
        get(limits -> describes.incrementAndGet());

        shared.offer("vpc-1", 99);

        assertThat(get(limits -> describes.incrementAndGet())).isEqualTo(99);
        shared.forget("vpc-1");
        assertThat(get(limits -> describes.incrementAndGet())).isEqualTo(2);
    }
}
