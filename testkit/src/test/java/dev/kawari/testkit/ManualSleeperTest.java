package dev.kawari.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kawari.spi.KawariException;
import dev.kawari.spi.OperationContext;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ManualSleeperTest {
    private static final Duration BOUND = Duration.ofSeconds(5);

    private final FakeClock clock = new FakeClock();
    private final ManualSleeper sleeper = new ManualSleeper(clock);
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() throws InterruptedException {
        threads.shutdownNow();
        assertThat(threads.awaitTermination(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void sleepBlocksUntilTheClockPassesTheWakeUpTime() throws Exception {
        Future<?> sleeping = threads.submit(() -> {
            sleeper.sleep(Duration.ofSeconds(5));
            return null;
        });
        sleeper.awaitSleepers(1, BOUND);

        clock.advance(Duration.ofSeconds(4));
        assertThat(sleeper.sleeping()).isEqualTo(1);
        assertThat(sleeping).isNotDone();

        clock.advance(Duration.ofSeconds(1));
        assertThat(sleeper.sleeping()).as("counted no more as soon as its time has come").isZero();
        sleeping.get(BOUND.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void zeroAndNegativeSleepsReturnAtOnceAndAreRecorded() throws InterruptedException {
        sleeper.sleep(Duration.ZERO);
        sleeper.sleep(Duration.ofMillis(-1));

        assertThat(sleeper.sleeps()).containsExactly(Duration.ZERO, Duration.ofMillis(-1));
        assertThat(sleeper.sleeping()).isZero();
    }

    @Test
    void sleepHonoursInterrupts() throws Exception {
        Future<?> sleeping = threads.submit(() -> {
            sleeper.sleep(Duration.ofHours(1));
            return null;
        });
        sleeper.awaitSleepers(1, BOUND);

        sleeping.cancel(true);

        threads.shutdown();
        assertThat(threads.awaitTermination(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(sleeper.sleeping()).isZero();
    }

    @Test
    void sleepOfAnInterruptedThreadThrowsAtOnce() {
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> sleeper.sleep(Duration.ofSeconds(1))).isInstanceOf(InterruptedException.class);
        } finally {
            Thread.interrupted();
        }
        assertThat(sleeper.sleeping()).isZero();
    }

    @Test
    void interruptedSleepEndsWithInterruptedException() throws Exception {
        Future<Boolean> interrupted = threads.submit(() -> {
            try {
                sleeper.sleep(Duration.ofHours(1));
                return false;
            } catch (InterruptedException e) {
                return true;
            }
        });
        sleeper.awaitSleepers(1, BOUND);

        threads.shutdownNow();

        assertThat(interrupted.get(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void awaitSleepersFailsWhenTooFewThreadsSleep() {
        assertThatThrownBy(() -> sleeper.awaitSleepers(1, Duration.ofMillis(50)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("expected 1 thread(s) sleeping");
    }

    @Test
    void advancingTheClockWakesOnlyTheSleepersWhoseTimeHasCome() throws Exception {
        Future<?> short1 = threads.submit(() -> {
            sleeper.sleep(Duration.ofSeconds(1));
            return null;
        });
        Future<?> long10 = threads.submit(() -> {
            sleeper.sleep(Duration.ofSeconds(10));
            return null;
        });
        sleeper.awaitSleepers(2, BOUND);

        clock.advance(Duration.ofSeconds(2));

        assertThat(sleeper.sleeping()).isEqualTo(1);
        short1.get(BOUND.toSeconds(), TimeUnit.SECONDS);
        assertThat(long10).isNotDone();
        clock.advance(Duration.ofSeconds(8));
        long10.get(BOUND.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void drivesABackoffLoopStepByStep() throws Exception {
        OperationContext context = OperationContexts.builder().time(clock).sleeper(sleeper)
                .deadline(Duration.ofSeconds(5)).build();
        Future<Void> attempts = threads.submit(() -> backoffUntilDeadline(context));

        for (Duration step : new Duration[] {Duration.ofSeconds(1), Duration.ofSeconds(2)}) {
            sleeper.awaitSleepers(1, BOUND);
            clock.advance(step);
        }
        sleeper.awaitSleepers(1, BOUND);
        clock.advance(Duration.ofSeconds(2)); // the third pause is capped by the deadline: 2 s left of 5

        assertThatThrownBy(() -> attempts.get(BOUND.toSeconds(), TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(KawariException.class)
                .hasMessageContaining("deadline");
        assertThat(sleeper.sleeps())
                .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(2));
    }

    /** What a kit's retry loop looks like: exponential pauses through the context, bounded by its deadline. */
    private static Void backoffUntilDeadline(OperationContext context) {
        Duration pause = Duration.ofSeconds(1);
        while (true) {
            context.deadline().check("waiting for something that never happens");
            context.pause(pause);
            pause = pause.multipliedBy(2);
        }
    }

    @Test
    void aBlockedSleeperDoesNotStopOthersFromReadingTheClock() throws Exception {
        threads.submit(() -> {
            sleeper.sleep(Duration.ofHours(1));
            return null;
        });
        sleeper.awaitSleepers(1, BOUND);

        Future<Long> read = threads.submit(clock::nanoTime);

        try {
            assertThat(read.get(BOUND.toSeconds(), TimeUnit.SECONDS)).isEqualTo(clock.nanoTime());
        } catch (TimeoutException e) {
            throw new AssertionError("reading the clock blocked while a thread slept", e);
        }
    }
}
