package dev.kawari.spi;

import java.time.Instant;

/**
 * Where Kawari and kits read time. Wall time ({@link #now()}) is for event timestamps only;
 * durations, timeouts and deadlines use the monotonic {@link #nanoTime()}, never the wall clock.
 * Tests substitute a fake (see {@code dev.kawari.testkit.FakeClock}).
 */
public interface TimeSource {
    /** Wall-clock time, for timestamps shown to people. */
    Instant now();

    /** Monotonic nanoseconds, comparable only with other values from the same source. */
    long nanoTime();

    /** The system clocks. */
    static TimeSource system() {
        return SystemTime.INSTANCE;
    }
}

enum SystemTime implements TimeSource {
    INSTANCE;

    @Override
    public Instant now() {
        return Instant.now();
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }
}
