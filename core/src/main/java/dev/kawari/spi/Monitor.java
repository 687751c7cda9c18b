package dev.kawari.spi;

/**
 * A periodic health probe of one resource (its {@code target}). Its interval, timeout, failure
 * threshold and what a failure triggers come from the configuration, never from the kit.
 *
 * <p>A monitor's check changes nothing, may run concurrently with actions on its target, and is
 * never run concurrently with itself. The engine interrupts a check that outlives the monitor's
 * {@code timeout} and counts it as {@code Unhealthy}; a kit that wants a slow dependency to count
 * as {@code Unknown} bounds that dependency's wait itself, below the timeout.
 */
public interface Monitor extends AutoCloseable {

    CheckResult check(OperationContext context) throws InterruptedException;

    /** As {@link Resource#verify}: checks the configuration against the world; the default checks nothing. */
    default void verify(OperationContext context, ProblemReporter problems) throws InterruptedException {
    }

    /** Releases what the instance holds. Called once, after the last check. */
    @Override
    default void close() {
    }
}
