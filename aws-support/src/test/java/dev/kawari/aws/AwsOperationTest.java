package dev.kawari.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kawari.spi.ErrorType;
import dev.kawari.spi.KawariException;
import dev.kawari.spi.OperationContext;
import dev.kawari.spi.Sleeper;
import dev.kawari.testkit.FakeClock;
import dev.kawari.testkit.OperationContexts;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Retries of actions, bounded by the deadline on the context's clock (fake here), and call counting. */
class AwsOperationTest {
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final AwsCalls calls = new AwsCalls(executor);
    private final FakeClock clock = new FakeClock();
    /** Waiting moves the fake clock: the retry loop runs at full speed, its waits recorded. */
    private final List<Duration> waits = new CopyOnWriteArrayList<>();
    private final Sleeper sleeper = duration -> {
        waits.add(duration);
        clock.advance(duration);
    };

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private OperationContext context(Duration deadline) {
        return OperationContexts.builder().time(clock).sleeper(sleeper).deadline(deadline).build();
    }

    private static AwsException throttled() {
        return new AwsException(AwsErrorCodes.AWS_THROTTLED, true, "ec2:ReplaceRoute", "RequestLimitExceeded", "r-1",
                "ec2:ReplaceRoute was throttled by AWS (RequestLimitExceeded, request id r-1)", null);
    }

    @Test
    void actRetriesRetryableFailuresWithGrowingJitteredBackoff() {
        AtomicInteger attempts = new AtomicInteger();
        OperationContext context = context(Duration.ofSeconds(60));
        AwsOperation operation = calls.on(context);

        String result = operation.act("ec2:ReplaceRoute", limits -> {
            if (attempts.incrementAndGet() < 4) {
                throw throttled();
            }
            return "done";
        });

        assertThat(result).isEqualTo("done");
        assertThat(attempts).hasValue(4);
        assertThat(waits).hasSize(3);
        assertThat(waits.get(0)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
        assertThat(waits.get(1)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
        assertThat(waits.get(2)).isBetween(Duration.ofMillis(400), Duration.ofMillis(800));
        assertThat(operation.counts().of("ec2:ReplaceRoute")).isEqualTo(4);
    }

    @Test
    void actGivesUpWhenTheDeadlineLeavesNoRoomAndSaysSo() {
        AtomicInteger attempts = new AtomicInteger();

        KawariException failure = catchThrowableOfType(KawariException.class, () -> calls.on(context(Duration.ofSeconds(3)))
                .act("ec2:ReplaceRoute", limits -> {
                    attempts.incrementAndGet();
                    throw throttled();
                }));

        assertThat(failure.code()).isEqualTo(AwsErrorCodes.AWS_THROTTLED);
        assertThat(failure.getMessage()).contains("RequestLimitExceeded").contains("gave up after " + attempts.get());
        assertThat(attempts.get()).isBetween(3, 12);
        assertThat(waits.stream().reduce(Duration.ZERO, Duration::plus)).isLessThan(Duration.ofSeconds(3));
        assertThat(waits).allSatisfy(wait -> assertThat(wait).isLessThanOrEqualTo(AwsOperation.MAX_BACKOFF));
    }

    @Test
    void actDoesNotRetryWhatRetryingCannotFix() {
        AtomicInteger attempts = new AtomicInteger();

        KawariException failure = catchThrowableOfType(KawariException.class, () -> calls.on(context(Duration.ofSeconds(60)))
                .act("ec2:ReplaceRoute", limits -> {
                    attempts.incrementAndGet();
                    throw new AwsException(AwsErrorCodes.AWS_ACCESS_DENIED, false, "ec2:ReplaceRoute",
                            "UnauthorizedOperation", "r-2", "ec2:ReplaceRoute is not allowed", null);
                }));

        assertThat(failure.type()).isEqualTo(ErrorType.CONFIGURATION);
        assertThat(attempts).hasValue(1);
        assertThat(waits).isEmpty();
    }

    @Test
    void anInterruptedCallerStopsWaitingAtOnceWithTheFlagSet() throws Exception {
        Thread caller = Thread.currentThread();
        OperationContext context = OperationContexts.builder().deadline(Duration.ofSeconds(60)).build();
        Thread interrupter = new Thread(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
            caller.interrupt();
        });
        interrupter.start();
        long start = System.nanoTime();

        KawariException failure = catchThrowableOfType(KawariException.class, () -> calls.on(context).act("ec2:ReplaceRoute", limits -> {
            try {
                Thread.sleep(30_000); // a socket that never answers
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }));

        assertThat(Thread.interrupted()).as("interrupt flag restored").isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(failure.code().name()).isEqualTo("ACTION_INTERRUPTED");
        interrupter.join();
    }

    @Test
    void askUsesMostButNotAllOfTheTimeLeft() {
        AwsOperation operation = calls.on(context(Duration.ofSeconds(5)));

        assertThat(operation.askTimeout()).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void inParallelRunsEveryKeyAndCollectsFailuresByKey() {
        AwsOperation operation = calls.on(OperationContexts.builder().deadline(Duration.ofSeconds(10)).build());
        List<String> done = new CopyOnWriteArrayList<>();

        Map<String, KawariException> failures = operation.inParallel(List.of("rtb-1", "rtb-2", "rtb-3"), table -> {
            if (table.equals("rtb-2")) {
                throw throttled();
            }
            done.add(table);
        });

        assertThat(failures).containsOnlyKeys("rtb-2");
        assertThat(done).containsExactlyInAnyOrder("rtb-1", "rtb-3");
    }

    @Test
    void noteCallsLeavesTheCountsInTheEvents() {
        OperationContext context = OperationContexts.builder().deadline(Duration.ofSeconds(10)).build();
        AwsOperation operation = calls.on(context);
        operation.act("ec2:DescribeRouteTables", limits -> "x");
        operation.act("ec2:DescribeRouteTables", limits -> "x");
        operation.act("ec2:ReplaceRoute", limits -> "x");

        operation.noteCalls("restore");

        var note = OperationContexts.recorded(context).lastNote();
        assertThat(note.message()).isEqualTo("restore made 3 AWS call(s): ec2:DescribeRouteTables=2, ec2:ReplaceRoute=1");
        assertThat(note.details()).containsEntry("aws.ec2:DescribeRouteTables", "2")
                .containsEntry("aws.ec2:ReplaceRoute", "1");
    }
}
