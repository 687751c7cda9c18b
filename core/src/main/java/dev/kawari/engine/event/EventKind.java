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
    /** A kit's note: a command's output, API call counts. */
    NOTE
}
