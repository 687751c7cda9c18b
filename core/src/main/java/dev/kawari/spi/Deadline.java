package dev.kawari.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * The point in monotonic time by which an action must be finished. Immutable.
 *
 * <p>Kits use it to bound their own waits: pass {@link #remaining()} to a client's timeout, or call
 * {@link #check(String)} between steps.
 */
public final class Deadline {
    private final TimeSource time;
    private final long expiresAtNanos;
    private final Duration budget;

    private Deadline(TimeSource time, long expiresAtNanos, Duration budget) {
        this.time = time;
        this.expiresAtNanos = expiresAtNanos;
        this.budget = budget;
    }

    /** A deadline {@code budget} from now on the given time source. */
    public static Deadline after(Duration budget, TimeSource time) {
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(time, "time");
        if (budget.isNegative()) {
            throw new IllegalArgumentException("budget must not be negative: " + budget);
        }
        return new Deadline(time, time.nanoTime() + budget.toNanos(), budget);
    }

    /** The whole budget this deadline was created with. */
    public Duration budget() {
        return budget;
    }

    /** Time left; zero once expired, never negative. */
    public Duration remaining() {
        long left = expiresAtNanos - time.nanoTime();
        return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
    }

    public boolean expired() {
        return expiresAtNanos - time.nanoTime() <= 0;
    }

    /**
     * The shorter of {@code wanted} and the time left: what to wait at most for one step.
     */
    public Duration cap(Duration wanted) {
        Duration left = remaining();
        return wanted.compareTo(left) < 0 ? wanted : left;
    }

    /**
     * Throws a {@link ErrorType#TIMEOUT} exception if the deadline has passed, and an interrupted
     * exception (with the interrupt flag restored) if the thread was interrupted.
     *
     * @param doing what the caller was doing, for the message ("waiting for the route to move")
     */
    public void check(String doing) {
        if (Thread.currentThread().isInterrupted()) {
            throw KawariException.interrupted("interrupted while " + doing, new InterruptedException());
        }
        if (expired()) {
            throw KawariException.timedOut("deadline of " + budget + " passed while " + doing);
        }
    }

    @Override
    public String toString() {
        return "Deadline[remaining=" + remaining() + " of " + budget + "]";
    }
}
