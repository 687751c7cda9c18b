package dev.kawari.spi;

import java.time.Duration;

/**
 * How Kawari and kits wait. Kits never call {@code Thread.sleep} themselves; they wait through the
 * sleeper of their {@link OperationContext}, so tests can replace waiting with a manual sleeper.
 */
@FunctionalInterface
public interface Sleeper {
    /**
     * Waits for {@code duration}; returns at once for zero or negative durations.
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    void sleep(Duration duration) throws InterruptedException;

    /** Waits on the real clock. */
    static Sleeper system() {
        return duration -> {
            if (!duration.isNegative() && !duration.isZero()) {
                Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
            }
        };
    }
}
