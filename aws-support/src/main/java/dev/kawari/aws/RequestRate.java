package dev.kawari.aws;

import dev.kawari.spi.KawariException;
import dev.kawari.spi.OperationContext;
import dev.kawari.spi.TimeSource;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A client-side limit on how fast this process sends requests to one API: a token bucket holding at
 * most {@code burst} permits, refilled at {@code perSecond}. Route 53, for example, allows five
 * requests per second per account for its whole API; a kit that makes all its resources share one
 * {@code RequestRate} (through {@link AwsCalls#on(OperationContext, RequestRate)}) spaces its calls
 * instead of being throttled, and leaves the account's other callers some room.
 *
 * <p>A caller that finds no permit books the next free one and waits for it through its operation's
 * sleeper; a caller whose wait would be longer than it may wait books nothing. Callers are served in
 * the order they booked. Thread-safe.
 */
public final class RequestRate {
    private final double perNano;
    private final int burst;
    private final String service;
    private final TimeSource time;
    private double permits;
    private long refilledAt;

    /**
     * @param perSecond the sustained rate
     * @param burst how many requests may go at once after a quiet period (at least 1)
     * @param service the IAM prefix of the actions it limits ({@code route53}); an operation's calls
     *     of other services ({@code ec2:DescribeNetworkInterfaces}) pass without waiting
     * @param time the clock the bucket refills by
     */
    public RequestRate(double perSecond, int burst, String service, TimeSource time) {
        if (!(perSecond > 0) || burst < 1) {
            throw new IllegalArgumentException("a request rate needs perSecond > 0 and burst >= 1: " + perSecond
                    + "/s, burst " + burst);
        }
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.service = Objects.requireNonNull(service, "service");
        this.time = Objects.requireNonNull(time, "time");
        this.permits = burst;
        this.refilledAt = time.nanoTime();
    }

    /** Whether requests of IAM action {@code action} ({@code route53:GetChange}) wait for this rate. */
    public boolean limits(String action) {
        return action.startsWith(service + ":");
    }

    /** The sustained rate, per second. */
    public double perSecond() {
        return perNano * 1e9;
    }

    /**
     * Books a permit: zero when one is free now, else how long until the booked one is, when that is
     * at most {@code atMost}; empty (nothing booked) when it would be longer.
     */
    public synchronized Optional<Duration> reserve(Duration atMost) {
        long now = time.nanoTime();
        if (now > refilledAt) {
            permits = Math.min(burst, permits + (now - refilledAt) * perNano);
            refilledAt = now;
        }
        if (permits >= 1) {
            permits -= 1;
            return Optional.of(Duration.ZERO);
        }
        long wait = (long) Math.ceil((1 - permits) / perNano);
        if (wait > atMost.toNanos()) {
            return Optional.empty();
        }
        permits -= 1; // a debt the waiting callers pay off in booking order
        return Optional.of(Duration.ofNanos(wait));
    }

    /**
     * Waits for a permit to send one {@code action} request, through {@code context}'s sleeper, at
     * most {@code atMost} (and never past the deadline).
     *
     * @throws AwsException {@link AwsErrorCodes#AWS_THROTTLED}, retryable, when no permit frees up in
     *     time: the request was not sent
     * @throws KawariException interrupted, when the thread is
     */
    public void acquire(OperationContext context, String action, Duration atMost) {
        Duration bound = context.deadline().cap(atMost);
        Optional<Duration> wait = reserve(bound);
        if (wait.isEmpty()) {
            throw new AwsException(AwsErrorCodes.AWS_THROTTLED, true, action, null, null, action
                    + " was not sent: this process keeps its requests to " + String.format(java.util.Locale.ROOT,
                            "%.1f", perSecond()) + " per second and no slot frees up within " + bound.toMillis()
                    + " ms", null);
        }
        if (!wait.get().isZero()) {
            context.pause(wait.get());
        }
    }

    @Override
    public synchronized String toString() {
        return "RequestRate[" + service + ", " + perSecond() + "/s, burst " + burst + ", permits " + permits + "]";
    }
}
