package dev.kawari.testkit;

import dev.kawari.spi.Sleeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.Condition;

/**
 * A {@link Sleeper} driven by a {@link FakeClock}: {@link #sleep} blocks until the test has advanced
 * the clock past the wake-up time, so a kit's retry or backoff loop runs step by step, without real
 * waiting and without races. Thread-safe.
 *
 * <p>Typical use, with the kit's call on a thread of its own:
 *
 * <pre>{@code
 * FakeClock clock = new FakeClock();
 * ManualSleeper sleeper = new ManualSleeper(clock);
 * OperationContext context = OperationContexts.builder().time(clock).sleeper(sleeper).build();
 * Future<?> restore = executor.submit(() -> { resource.restore(context); return null; });
 * sleeper.awaitSleepers(1, Duration.ofSeconds(5));   // the kit is now backing off
 * clock.advance(Duration.ofSeconds(1));               // ... and wakes up
 * assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(1));
 * }</pre>
 */
public final class ManualSleeper implements Sleeper {
    private final FakeClock clock;
    private final Condition sleepersChanged;
    private final List<Duration> sleeps = new ArrayList<>();
    // The wake-up times of the threads in sleep(). A thread counts as sleeping only while its time
    // has not come: the moment advance() passes it, it no longer counts, even before it has woken
    // up, so that awaitSleepers() right after an advance waits for the *next* sleep.
    private final List<Long> wakeUps = new ArrayList<>();

    public ManualSleeper(FakeClock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleepersChanged = clock.lock.newCondition();
    }

    /**
     * Records {@code duration}, then returns at once if it is zero or negative, or else blocks until
     * the clock has been advanced by at least {@code duration} since this call.
     *
     * @throws InterruptedException if the thread is interrupted before or while waiting
     */
    @Override
    public void sleep(Duration duration) throws InterruptedException {
        Objects.requireNonNull(duration, "duration");
        clock.lock.lock();
        try {
            sleeps.add(duration);
            if (duration.isNegative() || duration.isZero()) {
                return;
            }
            Long wakeAt = clock.nanoTime() + duration.toNanos();
            wakeUps.add(wakeAt);
            sleepersChanged.signalAll();
            try {
                while (clock.nanoTime() - wakeAt < 0) {
                    clock.advanced.await();
                }
            } finally {
                wakeUps.remove(wakeAt);
            }
        } finally {
            clock.lock.unlock();
        }
    }

    /** Every duration asked for so far, in the order asked, including zero and negative ones. */
    public List<Duration> sleeps() {
        clock.lock.lock();
        try {
            return List.copyOf(sleeps);
        } finally {
            clock.lock.unlock();
        }
    }

    /**
     * How many threads are blocked in {@link #sleep} with their wake-up time still to come. A thread
     * stops counting as soon as the clock passes its wake-up time, before it has even run again.
     */
    public int sleeping() {
        clock.lock.lock();
        try {
            return sleepingLocked();
        } finally {
            clock.lock.unlock();
        }
    }

    private int sleepingLocked() {
        long now = clock.nanoTime();
        return (int) wakeUps.stream().filter(wakeAt -> now - wakeAt < 0).count();
    }

    /**
     * Waits until at least {@code count} threads are blocked in {@link #sleep} (as counted by {@link
     * #sleeping()}). Right after {@link FakeClock#advance}, this waits for the woken threads' next
     * sleeps, never for the ones just ended. The bound is real time: it limits how long the test
     * waits for the kit's threads to get there, not fake time.
     *
     * @throws AssertionError if fewer than {@code count} threads sleep after {@code timeout}
     * @throws InterruptedException if the test thread is interrupted
     */
    public void awaitSleepers(int count, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        clock.lock.lock();
        try {
            long left = timeout.toNanos();
            while (sleepingLocked() < count) {
                if (left <= 0) {
                    throw new AssertionError("expected " + count + " thread(s) sleeping within " + timeout
                            + " but " + sleepingLocked() + " are; sleeps asked for so far: " + sleeps);
                }
                left = sleepersChanged.awaitNanos(left);
            }
        } finally {
            clock.lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "ManualSleeper[sleeping=" + sleeping() + ", sleeps=" + sleeps() + ", " + clock + "]";
    }
}
