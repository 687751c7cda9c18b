package dev.kawari.engine.cluster;

import dev.kawari.engine.LocalNode;
import dev.kawari.engine.ServiceRuntime;
import dev.kawari.engine.config.CoordinatorSpec;
import dev.kawari.engine.config.FailoverPolicy;
import dev.kawari.engine.config.KawariConfig;
import dev.kawari.engine.config.NodeSpec;
import dev.kawari.engine.event.Event;
import dev.kawari.engine.event.EventBus;
import dev.kawari.engine.event.EventKind;
import dev.kawari.engine.event.EventRecorder;
import dev.kawari.engine.tree.ResourceHandle;
import dev.kawari.engine.tree.State;
import dev.kawari.engine.tree.TreeOutcome;
import dev.kawari.spi.KawariException;
import dev.kawari.spi.TimeSource;
import dev.kawari.spi.cluster.Coordinator;
import dev.kawari.spi.cluster.LeaseRecord;
import dev.kawari.spi.cluster.NodeHeartbeat;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The services of one node in a cluster: per service, the holder of the lease restores and monitors
 * it while the other nodes stand by and watch the lease; see ARCHITECTURE.md, "The cluster".
 *
 * <ul>
 *   <li>A standby takes a lease held by another node only after watching its version stay the same
 *       for {@code lease-duration + takeover-margin} (plus one poll interval per better-placed
 *       standby: priorities), a free lease after its rank's delay, a lease handed to it at once.
 *   <li>The holder renews every {@code renew-interval}; once it has not renewed for
 *       {@code lease-duration - safety-margin} it drops the lease and removes the service (fencing).
 *   <li>A failover request of the engine (failed restore, monitor past its local recoveries) removes
 *       the service and frees the lease; this node then does not take the service again for the
 *       {@code failover-cool-down}, and honours at most {@code max-failovers} in the
 *       {@code failover-window}: past that the service stays FAILED here.
 *   <li>A switchover (a requested successor on the lease) and an automatic switchback remove the
 *       service here and hand the lease to the named node.
 *   <li>Maintenance (a flag on the lease) pauses the holder's monitors and stops every automatic action.
 * </ul>
 *
 * One lease thread drives every service's lease (renewals and reads are short, bounded calls);
 * restore and remove run on one walk thread per service, so a long restore never delays a renewal.
 */
public final class ClusterNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);
    private static final int EVENTS_KEPT = 12;

    /** This node's part in a service. */
    public enum Role {
        STANDBY,
        ACTIVE,
        LEAVING,
        FENCING
    }

    private final LocalNode local;
    private final KawariConfig config;
    private final CoordinatorSpec spec;
    private final Coordinator coordinator;
    private final TimeSource time;
    private final String me;
    private final EventRecorder events;
    private final ScheduledExecutorService leaseThread;
    private final ScheduledExecutorService fenceWatch;
    private final Map<String, Seat> seats = new LinkedHashMap<>();
    private final Map<String, Liveness> liveness = new ConcurrentHashMap<>();
    private final Map<String, String> heartbeatDetails = new ConcurrentHashMap<>();
    private final Map<String, Deque<String>> recentEvents = new ConcurrentHashMap<>();
    private final AutoCloseable subscription;
    private volatile boolean stopping;

    public ClusterNode(LocalNode local, EventBus bus, TimeSource time) {
        this(local, bus, time, local.config().coordinator().map(c -> c.instance()).orElse(null));
    }

    /** As {@link #ClusterNode(LocalNode, EventBus, TimeSource)}, reaching the coordinator through {@code coordinator}. */
    public ClusterNode(LocalNode local, EventBus bus, TimeSource time, Coordinator coordinator) {
        this.local = local;
        this.config = local.config();
        this.spec = config.coordinator().orElseThrow(() -> new IllegalArgumentException(
                config.source() + " has no kawari.coordinator: a cluster needs one"));
        this.coordinator = java.util.Objects.requireNonNull(coordinator, "coordinator");
        this.time = time;
        this.me = local.node().name();
        this.events = local.events();
        AtomicInteger threads = new AtomicInteger();
        this.leaseThread = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "kawari-lease-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.fenceWatch = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "kawari-fence-watch");
            thread.setDaemon(true);
            return thread;
        });
        for (ServiceRuntime runtime : local.services()) {
            Seat seat = new Seat(runtime, new ServiceLease(runtime.name(), me, this.coordinator, spec, time));
            seats.put(runtime.name(), seat);
            runtime.onFailoverRequested(why -> failoverRequested(seat, why));
        }
        for (NodeSpec node : config.nodes()) {
            liveness.put(node.name(), new Liveness(time.nanoTime()));
        }
        this.subscription = bus.subscribe(this::remember);
    }

    public String node() {
        return me;
    }

    /** Extra facts written with this node's heartbeat (the admin endpoint's port). */
    public void heartbeatDetail(String key, String value) {
        heartbeatDetails.put(key, value);
    }

    /** Starts beating and watching; services are restored where this node wins their lease. */
    public void start() {
        long beat = spec.renewInterval().toNanos();
        leaseThread.scheduleWithFixedDelay(this::beat, 0, beat, TimeUnit.NANOSECONDS);
        fenceWatch.scheduleWithFixedDelay(this::watchFences, 50, 50, TimeUnit.MILLISECONDS);
        for (Seat seat : seats.values()) {
            leaseThread.schedule(() -> tick(seat), 0, TimeUnit.NANOSECONDS);
        }
    }

    // ------------------------------------------------------------------ the lease loop

    private void tick(Seat seat) {
        Duration next = spec.pollInterval();
        try {
            next = step(seat);
        } catch (RuntimeException e) {
            LOG.error("lease step of {} failed", seat.name(), e);
        } finally {
            if (!stopping && !leaseThread.isShutdown()) {
                leaseThread.schedule(() -> tick(seat), next.toNanos(), TimeUnit.NANOSECONDS);
            }
        }
    }

    private Duration step(Seat seat) {
        synchronized (seat) {
            switch (seat.role) {
                case ACTIVE, LEAVING -> {
                    return holderStep(seat);
                }
                case FENCING -> {
                    return spec.pollInterval();
                }
                case STANDBY -> {
                    return standbyStep(seat);
                }
            }
            throw new IllegalStateException("unreachable: " + seat.role);
        }
    }

    /**
     * The fencing deadline does not wait for the lease thread, which may be stuck in a slow call to
     * the coordinator: past it, monitors stop and the removal is queued at once; the lease thread
     * then drops the lease.
     */
    private void watchFences() {
        long now = time.nanoTime();
        for (Seat seat : seats.values()) {
            boolean fire;
            synchronized (seat.fenceLock) {
                fire = seat.fenceArmed && !seat.watchdogFenced && now - seat.fenceAt >= 0;
                if (fire) {
                    seat.watchdogFenced = true;
                }
            }
            if (fire) {
                seat.runtime.stopMonitors();
                seat.walks.execute(() -> seat.runtime.remove(List.of()));
                events.record(EventKind.LEASE, seat.name(), "", "fencing", null,
                        "renewal budget spent (" + spec.fenceAfter() + "): removing the service", Map.of());
            }
        }
    }

    /** A new acquisition: the watchdog fences at its deadline. */
    private void holding(Seat seat) {
        synchronized (seat.fenceLock) {
            seat.fenceAt = seat.lease.validUntilNanos();
            seat.watchdogFenced = false;
            seat.fenceArmed = true;
        }
    }

    /**
     * A renewal: moves the watchdog's deadline on, unless the watchdog already fenced (the renewal
     * was answered after the deadline, a call that hung across it): the service is being removed
     * here, and a renewed lease must not make this node look in service.
     *
     * @return false if the watchdog had fenced
     */
    private boolean renewed(Seat seat) {
        synchronized (seat.fenceLock) {
            if (seat.watchdogFenced) {
                return false;
            }
            seat.fenceAt = seat.lease.validUntilNanos();
            seat.fenceArmed = true;
            return true;
        }
    }

    private static void notHolding(Seat seat) {
        synchronized (seat.fenceLock) {
            seat.fenceArmed = false;
        }
    }

    private Duration holderStep(Seat seat) {
        if (seat.lease.fenceDue() || seat.watchdogFenced) {
            fence(seat, "no renewal for " + spec.fenceAfter() + " (lease-duration - safety-margin)");
            return spec.pollInterval();
        }
        long now = time.nanoTime();
        Duration untilRenewal = Duration.ofNanos(seat.lastRenewAttempt + spec.renewInterval().toNanos() - now);
        if (!untilRenewal.isNegative() && !untilRenewal.isZero() && seat.lastRenewAttempt != 0) {
            if (seat.role == Role.ACTIVE && now - seat.lastRefresh >= spec.pollInterval().toNanos()) {
                // Between renewals the holder reads the lease every poll-interval, so that an operator's
                // request written from another node (switchover, maintenance) acts within that, not only
                // at the next renewal.
                seat.lastRefresh = now;
                try {
                    seat.lease.refresh();
                    actOnLease(seat);
                } catch (KawariException e) {
                    LOG.debug("read of the lease between renewals: {}", e.getMessage()); // the renewal tells
                }
            }
            return untilRenewal.compareTo(spec.pollInterval()) < 0 ? untilRenewal : spec.pollInterval();
        }
        seat.lastRenewAttempt = now;
        seat.lastRefresh = now;
        ServiceLease.Renewal renewal = seat.lease.renew();
        switch (renewal) {
            case RENEWED -> {
                if (!renewed(seat)) {
                    // The watchdog removed the service while this renewal hung; drop the lease and stand by
                    // (the lease still names this node, so it takes it back under a new epoch at once).
                    fence(seat, "renewed only after the fencing deadline (" + spec.fenceAfter()
                            + " without renewal): the service was already being removed");
                    return spec.pollInterval();
                }
                if (seat.unreachable) {
                    seat.unreachable = false;
                    lease(seat, "reachable", "the coordinator answers again", Map.of());
                }
                lease(seat, "renewed", "lease renewed", Map.of("valid-until-nanos",
                        String.valueOf(seat.lease.validUntilNanos())));
            }
            case LOST -> {
                fence(seat, "lease lost: " + seat.lease.lastSeen().map(r -> r.free() ? "it is free"
                        : "held by " + r.holder() + " under epoch " + r.epoch()).orElse("it is gone"));
                return spec.pollInterval();
            }
            case UNREACHABLE -> {
                if (!seat.unreachable) {
                    seat.unreachable = true;
                    lease(seat, "unreachable", "cannot renew: the coordinator does not answer; fencing at "
                            + spec.fenceAfter() + " after the last renewal", Map.of());
                }
                if (seat.lease.fenceDue()) {
                    fence(seat, "no renewal for " + spec.fenceAfter() + " (lease-duration - safety-margin)");
                    return spec.pollInterval();
                }
                return spec.renewInterval().dividedBy(4);
            }
        }
        actOnLease(seat);
        return spec.renewInterval().compareTo(spec.pollInterval()) < 0 ? spec.renewInterval() : spec.pollInterval();
    }

    /** The holder acts on what the lease says: maintenance, a requested successor, an automatic switchback. */
    private void actOnLease(Seat seat) {
        if (seat.role != Role.ACTIVE || seat.lease.held().isEmpty()) {
            return;
        }
        LeaseRecord held = seat.lease.held().get();
        applyMaintenance(seat, held.maintenance());
        if (!held.successor().isEmpty() && !held.successor().equals(me)) {
            leave(seat, held.successor(), "switchover to " + held.successor() + " requested");
        } else if (!held.maintenance() && seat.runtime.state() == State.IN_SERVICE
                && policy(seat).switchback() == FailoverPolicy.Switchback.AUTOMATIC) {
            betterNode(seat).ifPresent(better -> leave(seat, better, "automatic switchback to " + better
                    + " (priority " + config.priority(seat.name(), better) + ", alive for at least "
                    + policy(seat).switchbackAfter() + ")"));
        }
    }

    private Duration standbyStep(Seat seat) {
        ServiceLease.Observation seen;
        long decidedAt;
        try {
            seen = seat.lease.observe();
            decidedAt = time.nanoTime();
        } catch (KawariException e) {
            if (!seat.unreachable) {
                seat.unreachable = true;
                lease(seat, "unreachable", "cannot read the lease: " + e.getMessage(), Map.of());
            }
            return spec.pollInterval();
        }
        if (seat.unreachable) {
            seat.unreachable = false;
            lease(seat, "reachable", "the coordinator answers again", Map.of());
        }
        Optional<LeaseRecord> record = seen.record();
        String holder = record.map(LeaseRecord::holder).orElse("");
        if (!holder.equals(seat.watchedHolder)) {
            seat.watchedHolder = holder;
            if (!holder.isEmpty() && !holder.equals(me)) {
                lease(seat, "watching", "standing by: " + holder + " holds the lease under epoch "
                        + record.get().epoch(), Map.of("holder", holder));
            }
        }
        Optional<String> why = mayAcquire(seat, record, seen.unchangedNanos());
        if (why.isPresent()) {
            acquire(seat, record, why.get(), decidedAt);
            return seat.role == Role.STANDBY || spec.pollInterval().compareTo(spec.renewInterval()) < 0
                    ? spec.pollInterval() : spec.renewInterval();
        }
        boolean handedToMe = record.filter(r -> r.successor().equals(me)).isPresent();
        return handedToMe ? Duration.ofMillis(Math.min(100, spec.pollInterval().toMillis())) : spec.pollInterval();
    }

    /** Why this standby may take the lease now, or empty. */
    private Optional<String> mayAcquire(Seat seat, Optional<LeaseRecord> record, long unchangedNanos) {
        boolean handedToMe = record.filter(r -> r.free() && r.successor().equals(me)).isPresent();
        if (handedToMe) {
            return Optional.of("handed over to this node");
        }
        if (coolingDown(seat)) {
            return Optional.empty();
        }
        if (record.isEmpty()) {
            return unchangedNanos >= rankDelay(seat, "") ? Optional.of("no lease yet") : Optional.empty();
        }
        LeaseRecord lease = record.get();
        if (lease.maintenance()) {
            return Optional.empty();
        }
        if (lease.heldBy(me)) {
            return Optional.of("the lease names this node (the agent restarted, or it fenced itself and nobody"
                    + " took over)");
        }
        long takeover = spec.takeoverAfter().toNanos();
        if (lease.free()) {
            if (lease.successor().isEmpty()) {
                return unchangedNanos >= rankDelay(seat, "") ? Optional.of("the lease is free") : Optional.empty();
            }
            return unchangedNanos >= takeover + rankDelay(seat, "")
                    ? Optional.of("handed to " + lease.successor() + ", who did not take it within "
                            + spec.takeoverAfter()) : Optional.empty();
        }
        return unchangedNanos >= takeover + rankDelay(seat, lease.holder())
                ? Optional.of(lease.holder() + " stopped renewing: version unchanged for "
                        + Duration.ofNanos(unchangedNanos).toMillis() + " ms (lease " + spec.leaseDuration() + ")")
                : Optional.empty();
    }

    /** One poll interval per node placed before this one for the service (priority, then name). */
    private long rankDelay(Seat seat, String holder) {
        List<String> order = config.nodes().stream().map(NodeSpec::name)
                .filter(name -> !name.equals(holder))
                .sorted(Comparator.comparingInt((String name) -> config.priority(seat.name(), name))
                        .thenComparing(Comparator.naturalOrder()))
                .toList();
        return Math.max(0, order.indexOf(me)) * spec.pollInterval().toNanos();
    }

    /** @param decidedAt when the read that allowed the acquisition returned (a failover timeline's end of detection) */
    private void acquire(Seat seat, Optional<LeaseRecord> before, String why, long decidedAt) {
        Optional<LeaseRecord> acquired;
        try {
            acquired = seat.lease.acquire();
        } catch (KawariException e) {
            lease(seat, "unreachable", "could not take the lease: " + e.getMessage(), Map.of());
            return;
        }
        if (acquired.isEmpty()) {
            return; // someone else wrote first; the next read shows who
        }
        LeaseRecord lease = acquired.get();
        holding(seat);
        seat.role = Role.ACTIVE;
        seat.lastRenewAttempt = time.nanoTime();
        seat.lastRefresh = seat.lastRenewAttempt;
        seat.maintenanceApplied = false;
        local.epoch(seat.name(), lease.epoch());
        lease(seat, "acquired", "took the lease under epoch " + lease.epoch() + ": " + why, Map.of(
                "previous-holder", before.map(LeaseRecord::holder).orElse(""),
                "valid-until-nanos", String.valueOf(seat.lease.validUntilNanos()),
                "decided-nanos", String.valueOf(decidedAt)));
        boolean maintenance = lease.maintenance();
        seat.walks.execute(() -> {
            TreeOutcome outcome = seat.runtime.restore(List.of());
            synchronized (seat) {
                if (outcome.ok() && seat.role == Role.ACTIVE && !stopping) {
                    seat.runtime.startMonitors();
                    if (maintenance) {
                        applyMaintenance(seat, true);
                    }
                }
            }
        });
    }

    /** The holder stopped being allowed to run the service: drop the lease, remove, stand by. */
    private void fence(Seat seat, String why) {
        long validUntil = seat.lease.validUntilNanos();
        notHolding(seat);
        seat.lease.drop();
        seat.role = Role.FENCING;
        lease(seat, "fenced", "removing the service: " + why, Map.of("valid-until-nanos", String.valueOf(validUntil)));
        seat.runtime.stopMonitors();
        seat.walks.execute(() -> {
            seat.runtime.remove(List.of());
            synchronized (seat) {
                seat.role = Role.STANDBY;
            }
        });
    }

    /** Removes the service here, then frees the lease for {@code successor} (empty: for anyone). */
    private void leave(Seat seat, String successor, String why) {
        seat.role = Role.LEAVING;
        lease(seat, "leaving", why, Map.of("successor", successor));
        seat.runtime.stopMonitors();
        seat.walks.execute(() -> {
            TreeOutcome removed = seat.runtime.remove(List.of());
            synchronized (seat) {
                if (seat.role != Role.LEAVING) {
                    return; // fenced meanwhile
                }
                if (!removed.ok()) {
                    seat.role = Role.ACTIVE;
                    lease(seat, "kept", "remove failed, keeping the lease (the service is FAILED here): "
                            + removed.failures(), Map.of());
                    return;
                }
                long epoch = seat.lease.held().map(LeaseRecord::epoch).orElse(0L);
                notHolding(seat);
                boolean written;
                try {
                    written = seat.lease.release(successor);
                } catch (KawariException e) {
                    written = false;
                }
                seat.role = Role.STANDBY;
                lease(seat, successor.isEmpty() ? "released" : "handed-over",
                        (written ? "" : "(lease already gone) ") + (successor.isEmpty() ? "lease freed after epoch "
                                + epoch : "lease handed to " + successor + " after epoch " + epoch),
                        Map.of("successor", successor));
            }
        });
    }

    private void failoverRequested(Seat seat, String why) {
        synchronized (seat) {
            if (seat.role != Role.ACTIVE) {
                return;
            }
            FailoverPolicy policy = policy(seat);
            long now = time.nanoTime();
            while (!seat.failovers.isEmpty() && now - seat.failovers.peekFirst() >= policy.failoverWindow().toNanos()) {
                seat.failovers.pollFirst();
            }
            if (seat.failovers.size() >= policy.maxFailovers()) {
                lease(seat, "kept", "failover limit reached (" + policy.maxFailovers() + " in "
                        + policy.failoverWindow() + "): the service stays FAILED here; fix it and switch over", Map.of());
                return;
            }
            seat.failovers.addLast(now);
            seat.coolDownUntil = now + policy.coolDown().toNanos();
            seat.coolingDown = true;
            leave(seat, "", "failover requested (" + seat.failovers.size() + " of at most " + policy.maxFailovers()
                    + " in " + policy.failoverWindow() + "; cool-down " + policy.coolDown() + "): " + why);
        }
    }

    private boolean coolingDown(Seat seat) {
        if (seat.coolingDown && time.nanoTime() - seat.coolDownUntil >= 0) {
            seat.coolingDown = false;
        }
        return seat.coolingDown;
    }

    private void applyMaintenance(Seat seat, boolean on) {
        if (on == seat.maintenanceApplied) {
            return;
        }
        seat.maintenanceApplied = on;
        if (on) {
            seat.runtime.pauseMonitors();
        } else {
            seat.runtime.resumeMonitors();
        }
        events.record(EventKind.ADMIN, seat.name(), "", on ? "maintenance-on" : "maintenance-off", null,
                on ? "maintenance: monitors paused, no automatic action" : "maintenance over: monitors resumed",
                Map.of());
    }

    private FailoverPolicy policy(Seat seat) {
        return config.service(seat.name()).map(s -> s.policy()).orElse(FailoverPolicy.DEFAULT);
    }

    private Optional<String> betterNode(Seat seat) {
        int mine = config.priority(seat.name(), me);
        long now = time.nanoTime();
        long needed = policy(seat).switchbackAfter().toNanos();
        return config.nodes().stream().map(NodeSpec::name)
                .filter(name -> !name.equals(me) && config.priority(seat.name(), name) < mine)
                .filter(name -> {
                    Liveness alive = liveness.get(name);
                    return alive != null && alive.alive(now, spec.takeoverAfter().toNanos())
                            && now - alive.aliveSince >= needed;
                })
                .min(Comparator.comparingInt((String name) -> config.priority(seat.name(), name))
                        .thenComparing(Comparator.naturalOrder()));
    }

    // ------------------------------------------------------------------ heartbeats

    private void beat() {
        try {
            coordinator.heartbeat(NodeHeartbeat.beat(me, Map.copyOf(heartbeatDetails)));
            for (NodeSpec node : config.nodes()) {
                if (!node.name().equals(me)) {
                    String version = coordinator.heartbeat(node.name()).map(NodeHeartbeat::version).orElse("");
                    liveness.get(node.name()).saw(version, time.nanoTime(), spec.takeoverAfter().toNanos());
                }
            }
        } catch (KawariException e) {
            LOG.debug("heartbeat: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("heartbeat failed", e);
        }
    }

    /** When a node's heartbeat version last changed, as seen here. */
    private static final class Liveness {
        private final long watchingSince;
        private String version = "";
        private long changedAt;
        private long aliveSince;

        Liveness(long watchingSince) {
            this.watchingSince = watchingSince;
        }

        /**
         * Whether it is too early to tell: no change seen yet, and this node has not watched for a
         * whole timeout (a node seen once may be alive or long dead; only a change proves life).
         */
        synchronized boolean undecided(long now, long timeoutNanos) {
            return changedAt == 0 && now - watchingSince < timeoutNanos;
        }

        /** A beat read from the coordinator; the first one seen proves nothing (it may be old). */
        synchronized void saw(String next, long now, long timeoutNanos) {
            if (next.isEmpty() || next.equals(version)) {
                return;
            }
            boolean first = version.isEmpty();
            version = next;
            if (first) {
                return;
            }
            if (!alive(now, timeoutNanos)) {
                aliveSince = now;
            }
            changedAt = now;
        }

        synchronized boolean alive(long now, long timeoutNanos) {
            return changedAt != 0 && now - changedAt < timeoutNanos;
        }

        synchronized long millisAgo(long now) {
            return changedAt == 0 ? -1 : (now - changedAt) / 1_000_000;
        }
    }

    // ------------------------------------------------------------------ operators

    /**
     * Requests a graceful switchover of {@code service} to {@code target}: written on the lease, so it
     * works from any node; the holder removes the service and hands the lease over.
     */
    public LeaseRecord switchover(String service, String target) {
        seat(service);
        if (config.node(target).isEmpty()) {
            throw new IllegalArgumentException("no node '" + target + "' in " + config.source());
        }
        LeaseRecord written = ServiceLease.edit(coordinator, service, lease -> {
            if (lease.heldBy(target)) {
                return lease;
            }
            return lease.free() ? lease.released(target) : lease.withSuccessor(target);
        });
        events.record(EventKind.ADMIN, service, "", "switchover", null, "switchover to " + target + " requested",
                Map.of("to", target));
        Seat seat = seats.get(service);
        leaseThread.execute(() -> {
            try {
                synchronized (seat) {
                    if (seat.role == Role.ACTIVE) {
                        seat.lastRenewAttempt = 0; // the holder acts at once, not at its next renewal
                    }
                }
                step(seat);
            } catch (RuntimeException e) {
                LOG.error("switchover step of {} failed", service, e);
            }
        });
        return written;
    }

    /** Turns maintenance mode of {@code service} on or off, cluster-wide (a flag on the lease). */
    public LeaseRecord maintenance(String service, boolean on) {
        seat(service);
        LeaseRecord written = ServiceLease.edit(coordinator, service, lease -> lease.withMaintenance(on));
        events.record(EventKind.ADMIN, service, "", on ? "maintenance-requested" : "maintenance-ended", null,
                "maintenance " + (on ? "on" : "off") + " requested", Map.of());
        return written;
    }

    private Seat seat(String service) {
        Seat seat = seats.get(service);
        if (seat == null) {
            throw new IllegalArgumentException("no service '" + service + "' in " + config.source());
        }
        return seat;
    }

    /** This node's role in {@code service}. */
    public Role role(String service) {
        Seat seat = seat(service);
        synchronized (seat) {
            return seat.role;
        }
    }

    /** What this node knows now. */
    public ClusterStatus status() {
        long now = time.nanoTime();
        List<ClusterStatus.NodeStatus> nodes = new ArrayList<>();
        for (NodeSpec node : config.nodes()) {
            Liveness alive = liveness.get(node.name());
            boolean self = node.name().equals(me);
            long timeout = spec.takeoverAfter().toNanos();
            nodes.add(new ClusterStatus.NodeStatus(node.name(), self || alive.alive(now, timeout),
                    !self && alive.undecided(now, timeout), self ? 0 : alive.millisAgo(now), node.priority()));
        }
        List<ClusterStatus.ServiceStatus> services = new ArrayList<>();
        for (Seat seat : seats.values()) {
            Optional<LeaseRecord> lease;
            Role role;
            synchronized (seat) {
                lease = seat.lease.lastSeen();
                role = seat.role;
            }
            try {
                lease = coordinator.read(seat.name());
            } catch (KawariException e) {
                LOG.debug("status: {}", e.getMessage());
            }
            Map<String, String> resources = new LinkedHashMap<>();
            for (ResourceHandle resource : seat.runtime.tree().resources()) {
                resources.put(resource.id(), resource.state().name());
            }
            services.add(new ClusterStatus.ServiceStatus(seat.name(), lease.map(LeaseRecord::holder).orElse(""),
                    lease.map(LeaseRecord::epoch).orElse(0L), lease.map(LeaseRecord::maintenance).orElse(false),
                    lease.map(LeaseRecord::successor).orElse(""), role.name().toLowerCase(),
                    seat.runtime.state().name(), resources,
                    List.copyOf(recentEvents.getOrDefault(seat.name(), new ArrayDeque<>()))));
        }
        return new ClusterStatus(me, coordinator.describe(), nodes, services);
    }

    private void remember(Event event) {
        if (!event.node().equals(me) || event.service().isEmpty() || event.kind() == EventKind.NOTE
                || event.kind() == EventKind.LEASE && event.outcome().equals("renewed")) {
            return;
        }
        Deque<String> kept = recentEvents.computeIfAbsent(event.service(), s -> new ArrayDeque<>());
        synchronized (kept) {
            kept.addLast(event.time() + " " + event.kind() + " " + event.where() + " " + event.outcome() + ": "
                    + event.message());
            while (kept.size() > EVENTS_KEPT) {
                kept.pollFirst();
            }
        }
    }

    // ------------------------------------------------------------------ stopping

    /**
     * Stops watching and, for every service this node holds, removes it and frees the lease so that a
     * standby takes over at once (an agent stopped on purpose). Returns the removals.
     */
    public Map<String, TreeOutcome> stop() {
        stopping = true;
        fenceWatch.shutdownNow();
        leaseThread.shutdown();
        try {
            leaseThread.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Map<String, TreeOutcome> removed = new LinkedHashMap<>();
        for (Seat seat : seats.values()) {
            seat.walks.shutdown();
            try {
                seat.walks.awaitTermination(5, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (seat) {
                if (seat.role == Role.ACTIVE || seat.role == Role.LEAVING
                        || seat.runtime.state() != State.OUT_OF_SERVICE) {
                    seat.runtime.stopMonitors();
                    removed.put(seat.name(), seat.runtime.remove(List.of()));
                    if (seat.lease.holding()) {
                        notHolding(seat);
                        try {
                            seat.lease.release("");
                            lease(seat, "released", "agent stopping: lease freed", Map.of());
                        } catch (KawariException e) {
                            lease(seat, "unreachable", "agent stopping: could not free the lease: " + e.getMessage(),
                                    Map.of());
                        }
                    }
                    seat.role = Role.STANDBY;
                }
            }
        }
        return removed;
    }

    @Override
    public void close() {
        stopping = true;
        leaseThread.shutdownNow();
        fenceWatch.shutdownNow();
        seats.values().forEach(seat -> seat.walks.shutdownNow());
        try {
            subscription.close();
        } catch (Exception e) {
            LOG.debug("unsubscribe: {}", e.toString());
        }
    }

    private void lease(Seat seat, String outcome, String message, Map<String, String> details) {
        events.record(EventKind.LEASE, seat.name(), "", outcome, null, message, details);
    }

    /** One service's lease and local runtime on this node; guarded by its own monitor. */
    private static final class Seat {
        final ServiceRuntime runtime;
        final ServiceLease lease;
        final ExecutorService walks;
        final Deque<Long> failovers = new ArrayDeque<>();
        Role role = Role.STANDBY;
        long lastRenewAttempt;
        long lastRefresh;
        boolean unreachable;
        boolean maintenanceApplied;
        boolean coolingDown;
        long coolDownUntil;
        String watchedHolder = "";
        /** Guards the watchdog's three fields: its decision to fence and a renewal's extension never interleave. */
        final Object fenceLock = new Object();
        long fenceAt;
        boolean fenceArmed;
        volatile boolean watchdogFenced;

        Seat(ServiceRuntime runtime, ServiceLease lease) {
            this.runtime = runtime;
            this.lease = lease;
            this.walks = Executors.newSingleThreadExecutor(runnable -> {
                Thread thread = new Thread(runnable, "kawari-walk-" + runtime.name());
                thread.setDaemon(true);
                return thread;
            });
        }

        String name() {
            return runtime.name();
        }
    }
}
