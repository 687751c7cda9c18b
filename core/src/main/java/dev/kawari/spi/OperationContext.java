package dev.kawari.spi;

import java.util.Objects;

/**
 * Everything an action or check may use besides its own configuration. Immutable; a new context is
 * made for every call.
 *
 * @param service the service the resource or monitor belongs to
 * @param subject the resource or monitor id
 * @param node this node
 * @param epoch the lease epoch (fencing token) under which the service runs here; 0 when no
 *     coordinator is in use. A kit that writes to shared state may record it to reject stale writers.
 * @param attempt 1 for the first try of this action, then 2, 3, …
 * @param deadline when the action must be finished
 * @param time the clock to read
 * @param sleeper how to wait
 * @param events where to leave notes
 */
public record OperationContext(
        String service,
        String subject,
        NodeIdentity node,
        long epoch,
        int attempt,
        Deadline deadline,
        TimeSource time,
        Sleeper sleeper,
        EventSink events) {

    public OperationContext {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(sleeper, "sleeper");
        Objects.requireNonNull(events, "events");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt starts at 1: " + attempt);
        }
    }

    /**
     * Waits through the context's sleeper for at most {@code wanted}, never past the deadline;
     * translates an interrupt into a {@link KawariException} with the interrupt flag restored.
     */
    public void pause(java.time.Duration wanted) {
        try {
            sleeper.sleep(deadline.cap(wanted));
        } catch (InterruptedException e) {
            throw KawariException.interrupted("interrupted while waiting in " + service + "/" + subject, e);
        }
    }
}
