package dev.kawari.engine.monitor;

import dev.kawari.spi.CheckResult;
import dev.kawari.spi.TimeSource;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The policy of one monitor, CLUSTERPRO-style: {@code failureThreshold} consecutive Unhealthy
 * results call for a local recovery, as long as fewer than {@code maxLocalRecoveries} happened in
 * the sliding {@code recoveryWindow}; past that they call for a failover.
 *
 * <p>Healthy resets the count of consecutive failures. Unknown neither counts nor resets: an API
 * that is throttled between two real failures must not hide them, and must never cause a failover
 * by itself. Thread-safe; time comes from the given source.
 */
public final class RecoveryLadder {

    /** What the monitor's latest result calls for. */
    public enum Decision {
        NONE,
        RECOVER_LOCALLY,
        FAIL_OVER
    }

    private final int failureThreshold;
    private final int maxLocalRecoveries;
    private final long windowNanos;
    private final TimeSource time;
    private final Deque<Long> recoveries = new ArrayDeque<>();
    private int consecutiveFailures;

    public RecoveryLadder(int failureThreshold, int maxLocalRecoveries, Duration recoveryWindow, TimeSource time) {
        if (failureThreshold < 1 || maxLocalRecoveries < 0 || recoveryWindow.isNegative() || recoveryWindow.isZero()) {
            throw new IllegalArgumentException("threshold >= 1, max recoveries >= 0 and a positive window required");
        }
        this.failureThreshold = failureThreshold;
        this.maxLocalRecoveries = maxLocalRecoveries;
        this.windowNanos = recoveryWindow.toNanos();
        this.time = time;
    }

    public synchronized Decision record(CheckResult result) {
        switch (result.status()) {
            case HEALTHY -> {
                consecutiveFailures = 0;
                return Decision.NONE;
            }
            case UNKNOWN -> {
                return Decision.NONE;
            }
            case UNHEALTHY -> {
                consecutiveFailures++;
                if (consecutiveFailures < failureThreshold) {
                    return Decision.NONE;
                }
                consecutiveFailures = 0;
                long now = time.nanoTime();
                while (!recoveries.isEmpty() && now - recoveries.peekFirst() >= windowNanos) {
                    recoveries.pollFirst();
                }
                if (recoveries.size() < maxLocalRecoveries) {
                    recoveries.addLast(now);
                    return Decision.RECOVER_LOCALLY;
                }
                return Decision.FAIL_OVER;
            }
        }
        throw new IllegalStateException("unreachable: " + result);
    }

    public synchronized int consecutiveFailures() {
        return consecutiveFailures;
    }

    /** Local recoveries counted in the window as of the last Unhealthy result that reached the threshold. */
    public synchronized int recoveriesInWindow() {
        return recoveries.size();
    }

    public int failureThreshold() {
        return failureThreshold;
    }

    public int maxLocalRecoveries() {
        return maxLocalRecoveries;
    }
}
