package dev.kawari.spi.cluster;

import java.util.Objects;
import java.util.UUID;

/**
 * The stored lease of one service. Immutable; every write stores a record with a new {@link #version}.
 *
 * @param service the service's name
 * @param holder the node in service, or empty when the lease is free
 * @param epoch incremented by every acquisition; the fencing token handed to kits. Never decreases.
 * @param version a random token that changes with every write (renewal included). Contenders compare
 *     versions, never clocks: a version that stays the same for a whole lease duration means the
 *     holder stopped renewing.
 * @param successor with a holder: a requested hand-over to this node (switchover); without a holder:
 *     the node the lease was handed to, the only one that may take it at once. Empty for none.
 * @param maintenance monitors paused and no automatic action on any node
 */
public record LeaseRecord(String service, String holder, long epoch, String version, String successor,
        boolean maintenance) {

    public LeaseRecord {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(holder, "holder");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(successor, "successor");
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must not be negative: " + epoch);
        }
    }

    /** A free lease that was never held. */
    public static LeaseRecord unheld(String service) {
        return new LeaseRecord(service, "", 0, newVersion(), "", false);
    }

    public boolean free() {
        return holder.isEmpty();
    }

    public boolean heldBy(String node) {
        return holder.equals(node);
    }

    /** Held by {@code node} under the next epoch: a takeover. */
    public LeaseRecord acquiredBy(String node) {
        return new LeaseRecord(service, node, epoch + 1, newVersion(), "", maintenance);
    }

    /** The same lease with a new version: a renewal. */
    public LeaseRecord renewed() {
        return new LeaseRecord(service, holder, epoch, newVersion(), successor, maintenance);
    }

    /** Free, handed to {@code successor} (empty for anyone); the epoch stays until the next acquisition. */
    public LeaseRecord released(String successor) {
        return new LeaseRecord(service, "", epoch, newVersion(), successor, maintenance);
    }

    public LeaseRecord withSuccessor(String node) {
        return new LeaseRecord(service, holder, epoch, newVersion(), node, maintenance);
    }

    public LeaseRecord withMaintenance(boolean on) {
        return new LeaseRecord(service, holder, epoch, newVersion(), successor, on);
    }

    static String newVersion() {
        return UUID.randomUUID().toString();
    }
}
