package dev.kawari.testkit;

import dev.kawari.spi.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link TimeSource} that moves only when the test says so. Thread-safe.
 *
 * <p>The monotonic time starts at an arbitrary non-zero value, so code that wrongly treats
 * {@link #nanoTime()} as "nanoseconds since something meaningful" shows up in tests. {@link
 * #advance} moves both clocks and wakes every {@link ManualSleeper} of this clock whose wake-up time
 * has come; {@link #setNow} moves the wall clock alone (a step of NTP, a changed time zone), which
 * must never change a deadline.
 */
public final class FakeClock implements TimeSource {
    /** The wall time a clock made with {@link #FakeClock()} starts at. */
    public static final Instant DEFAULT_START = Instant.parse("2024-01-01T00:00:00Z");

    private static final long MONOTONIC_ORIGIN = 1_000_000_000_000L;

    // Shared with ManualSleeper, so that sleepers wait on the very lock that guards the time.
    final ReentrantLock lock = new ReentrantLock();
    final Condition advanced = lock.newCondition();

    private Instant wall;
    private long nanos = MONOTONIC_ORIGIN;

    /** A clock at {@link #DEFAULT_START}. */
    public FakeClock() {
        this(DEFAULT_START);
    }

    /** A clock whose wall time starts at {@code start}. */
    public FakeClock(Instant start) {
        this.wall = Objects.requireNonNull(start, "start");
    }

    @Override
    public Instant now() {
        lock.lock();
        try {
            return wall;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long nanoTime() {
        lock.lock();
        try {
            return nanos;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Moves wall and monotonic time forward by {@code step} and wakes the sleepers whose time has
     * come.
     *
     * @throws IllegalArgumentException if {@code step} is negative: monotonic time never goes back
     */
    public void advance(Duration step) {
        Objects.requireNonNull(step, "step");
        if (step.isNegative()) {
            throw new IllegalArgumentException("a clock only moves forward; got " + step);
        }
        lock.lock();
        try {
            wall = wall.plus(step);
            nanos += step.toNanos();
            advanced.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Sets the wall clock, in either direction, without moving monotonic time. */
    public void setNow(Instant now) {
        Objects.requireNonNull(now, "now");
        lock.lock();
        try {
            wall = now;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "FakeClock[" + now() + ", nanoTime=" + nanoTime() + "]";
    }
}
