package dev.kawari.engine.event;

/** What an {@link Event} records. */
public enum EventKind {
    /** A service changed state (subject is empty). */
    SERVICE_STATE,
    /** A resource changed state. */
    RESOURCE_STATE,
    /** A restore, remove, recover or check of a resource finished (outcome, duration). */
    ACTION,
    /** A monitor's answer changed (Healthy to Unhealthy and so on). */
    CHECK,
    /** A monitor reached its failure threshold. */
    MONITOR_FAILED,
    /** A local recovery started or finished. */
    RECOVERY,
    /** The service cannot be kept here and should move to another node. */
    FAILOVER_REQUESTED,
    /**
     * The lease of a service changed on this node: {@code acquired}, {@code released},
     * {@code handed-over}, {@code lost}, {@code fenced}, {@code unreachable}, {@code renewed} (with
     * {@code valid-until-nanos}, the holder's monotonic fencing deadline), {@code watching}.
     * {@code acquired} carries {@code valid-until-nanos} too, and {@code decided-nanos}: when the read
     * that allowed the takeover returned (the end of detection in a failover timeline).
     */
    LEASE,
    /** An operator's command reached this node: switchover, maintenance on or off. */
    ADMIN,
    /** A kit's note: a command's output, API call counts. */
    NOTE
}
