package dev.kawari.engine.cluster;

import dev.kawari.engine.config.CoordinatorSpec;
import dev.kawari.spi.TimeSource;
import dev.kawari.spi.cluster.Coordinator;
import dev.kawari.spi.cluster.LeaseRecord;
import java.util.Objects;
import java.util.Optional;

/**
 * One node's side of one service's lease: the conditional writes and the version watching, with
 * time read from this node's monotonic clock only. Not thread-safe: one thread drives it.
 *
 * <p>Holder: {@link #renew()} writes a new version on condition that the stored one is the last it
 * wrote. Its lease is valid until {@code start of the last successful renewal + lease-duration -
 * safety-margin} ({@link #validUntilNanos()}); past that {@link #fenceDue()} and the holder must take
 * the service out of service, within the safety margin.
 *
 * <p>Contender: {@link #observe()} reads the lease and remembers since when (after the read returned)
 * it has seen the same version. A holder's last write happened before that read returned and after
 * the holder started the write, so a contender that waits {@code lease-duration + takeover-margin}
 * of unchanged version on its own clock takes over strictly after the holder fenced itself, without
 * comparing clocks across nodes.
 */
public final class ServiceLease {

    /** What a renewal found. */
    public enum Renewal {
        /** The lease is ours, renewed. */
        RENEWED,
        /** Someone else holds it (or it is free): we lost it. */
        LOST,
        /** The coordinator did not answer; the lease is ours until it is due to be fenced. */
        UNREACHABLE
    }

    /** A contender's view: the stored lease (empty if never written) and how long its version has stood still. */
    public record Observation(Optional<LeaseRecord> record, long unchangedNanos) {
        public Observation {
            Objects.requireNonNull(record, "record");
        }
    }

    private final String service;
    private final String node;
    private final Coordinator coordinator;
    private final CoordinatorSpec timings;
    private final TimeSource time;

    private LeaseRecord held;
    private long lastRenewStartNanos;
    private String watchedVersion = "";
    private long watchedSinceNanos;
    private Optional<LeaseRecord> lastSeen = Optional.empty();

    public ServiceLease(String service, String node, Coordinator coordinator, CoordinatorSpec timings, TimeSource time) {
        this.service = service;
        this.node = node;
        this.coordinator = coordinator;
        this.timings = timings;
        this.time = time;
    }

    public String service() {
        return service;
    }

    public boolean holding() {
        return held != null;
    }

    /** The lease as this node last wrote or adopted it, while holding. */
    public Optional<LeaseRecord> held() {
        return Optional.ofNullable(held);
    }

    /** The lease as last read or written. */
    public Optional<LeaseRecord> lastSeen() {
        return held != null ? Optional.of(held) : lastSeen;
    }

    /** Monotonic time after which a holder must no longer be in service. */
    public long validUntilNanos() {
        return lastRenewStartNanos + timings.fenceAfter().toNanos();
    }

    /** True while holding once the renewal budget is spent: remove the service now. */
    public boolean fenceDue() {
        return held != null && time.nanoTime() - validUntilNanos() >= 0;
    }

    /**
     * Reads the lease (strongly consistent) and updates the watch on its version.
     *
     * @throws dev.kawari.spi.KawariException when the coordinator cannot be reached
     */
    public Observation observe() {
        Optional<LeaseRecord> record = coordinator.read(service);
        long now = time.nanoTime();
        String version = record.map(LeaseRecord::version).orElse("");
        if (!version.equals(watchedVersion) || watchedSinceNanos == 0) {
            watchedVersion = version;
            watchedSinceNanos = now;
        }
        lastSeen = record;
        if (held != null && record.isPresent() && record.get().heldBy(node) && record.get().epoch() == held.epoch()) {
            held = record.get();
        }
        return new Observation(record, now - watchedSinceNanos);
    }

    /**
     * A holder's read between renewals: adopts the stored lease while it is still this node's under
     * the same epoch (an operator changed its flags: maintenance, a requested successor). Leaves the
     * contender's watch alone; a lost lease is left to the next {@link #renew()}.
     *
     * @throws dev.kawari.spi.KawariException when the coordinator cannot be reached
     */
    public Optional<LeaseRecord> refresh() {
        Optional<LeaseRecord> record = coordinator.read(service);
        lastSeen = record;
        if (held != null && record.isPresent() && record.get().heldBy(node) && record.get().epoch() == held.epoch()) {
            held = record.get();
        }
        return record;
    }

    /**
     * Takes the lease from the state {@link #observe()} last saw, with the next epoch. Whether this
     * node may (priorities, watching time, hand-over) is the caller's decision; the conditional
     * write makes sure nobody else changed the lease since.
     *
     * @return the acquired lease, or empty if the lease changed meanwhile
     */
    public Optional<LeaseRecord> acquire() {
        long start = time.nanoTime();
        boolean written;
        LeaseRecord next;
        if (lastSeen.isEmpty()) {
            next = LeaseRecord.unheld(service).acquiredBy(node);
            written = coordinator.create(next);
        } else {
            next = lastSeen.get().acquiredBy(node);
            written = coordinator.replace(lastSeen.get().version(), next);
        }
        if (!written) {
            return Optional.empty();
        }
        held = next;
        lastRenewStartNanos = start;
        return Optional.of(next);
    }

    /**
     * Renews the held lease. A conditional write that fails because an operator changed the lease's
     * flags (maintenance, a switchover request) while it stays ours is retried on the new version.
     */
    public Renewal renew() {
        if (held == null) {
            throw new IllegalStateException("not holding " + service);
        }
        try {
            for (int attempt = 0; attempt < 3; attempt++) {
                long start = time.nanoTime();
                LeaseRecord next = held.renewed();
                if (coordinator.replace(held.version(), next)) {
                    held = next;
                    lastRenewStartNanos = start;
                    return Renewal.RENEWED;
                }
                Optional<LeaseRecord> stored = coordinator.read(service);
                lastSeen = stored;
                if (stored.isEmpty() || !stored.get().heldBy(node) || stored.get().epoch() != held.epoch()) {
                    held = null;
                    return Renewal.LOST;
                }
                held = stored.get(); // same holder and epoch: flags changed; adopt and write again
            }
            return Renewal.UNREACHABLE;
        } catch (dev.kawari.spi.KawariException e) {
            if (e.code().equals(Coordinator.UNAVAILABLE)) {
                return Renewal.UNREACHABLE;
            }
            throw e;
        }
    }

    /**
     * Gives the lease up: free, or handed to {@code successor}. Call only after the service was
     * removed here.
     *
     * @return true if written; false if the lease was no longer ours (it is dropped either way)
     */
    public boolean release(String successor) {
        if (held == null) {
            return false;
        }
        LeaseRecord mine = held;
        held = null;
        LeaseRecord next = mine.released(successor);
        boolean written = coordinator.replace(mine.version(), next);
        if (written) {
            lastSeen = Optional.of(next);
        }
        return written;
    }

    /** Forgets the lease without writing (after fencing, when the coordinator is out of reach). */
    public void drop() {
        held = null;
    }

    /**
     * Changes the operator flags of the lease, whoever holds it: a conditional read-modify-write,
     * retried a few times against concurrent renewals.
     *
     * @return the lease as written
     */
    public static LeaseRecord edit(Coordinator coordinator, String service,
            java.util.function.UnaryOperator<LeaseRecord> change) {
        for (int attempt = 0; attempt < 10; attempt++) {
            Optional<LeaseRecord> stored = coordinator.read(service);
            if (stored.isEmpty()) {
                LeaseRecord created = change.apply(LeaseRecord.unheld(service));
                if (coordinator.create(created)) {
                    return created;
                }
                continue;
            }
            LeaseRecord next = change.apply(stored.get());
            if (coordinator.replace(stored.get().version(), next)) {
                return next;
            }
        }
        throw new dev.kawari.spi.KawariException(Coordinator.UNAVAILABLE, true,
                "the lease of " + service + " kept changing; try again");
    }
}
