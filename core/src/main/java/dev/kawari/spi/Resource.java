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
     * Checks the configuration against the world this resource acts on, before anything runs: that
     * the things it names exist and fit together (a route table belongs to the VPC, an address lies
     * outside its CIDR, this node's identity is known). Called by {@code kawari run} before the first
     * restore and by {@code kawari validate --live}. Reports through {@code problems}, which the
     * engine locates as {@code FILE:LINE:}; changes nothing. Throws {@link KawariException} when the
     * world cannot be asked (an API is unreachable). The default checks nothing.
     */
    default void verify(OperationContext context, ProblemReporter problems) throws InterruptedException {
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
