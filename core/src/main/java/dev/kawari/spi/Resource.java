package dev.kawari.spi;

import java.time.Duration;

/**
 * One thing brought in or out of service on a node: an address, a process, a mount.
 *
 * <p>Threading: the engine never runs two of {@code restore}, {@code remove} and {@code recover} on
 * the same instance at once, but {@link #check} may run concurrently with them and with itself.
 *
 * <p>Every method honours {@link OperationContext#deadline()} and thread interrupts, and throws
 * {@link KawariException} on failure. The engine owns the resource's state; an instance keeps only
 * what it needs to act (never "am I in service?" flags that could disagree with reality).
 */
public interface Resource extends AutoCloseable {

    /**
     * Brings the resource into service on this node. Idempotent: restoring a resource that is
     * already in service here succeeds without changing anything.
     */
    void restore(OperationContext context) throws InterruptedException;

    /**
     * Takes the resource out of service on this node. Idempotent, and a no-op for a resource that
     * was never restored.
     */
    void remove(OperationContext context) throws InterruptedException;

    /**
     * A cheap probe that changes nothing: {@code Healthy} when the resource is in service and working
     * on this node, {@code Unhealthy} when it provably is not, {@code Unknown} when the probe could
     * not decide.
     */
    CheckResult check(OperationContext context) throws InterruptedException;

    /**
     * Repairs the resource in place after a monitor found it broken. The default removes and
     * restores it; kits override this to fix only what is wrong.
     */
    default void recover(OperationContext context) throws InterruptedException {
        remove(context);
        restore(context);
    }

    /**
     * How long the engine lets {@code action} run before interrupting it and counting it as failed.
     * Kits derive this from their configuration; the default is five minutes.
     */
    default Duration timeout(Action action) {
        return Duration.ofMinutes(5);
    }

    /** Releases what the instance holds (clients, threads). Called once, after the last action. */
    @Override
    default void close() {
    }
}
