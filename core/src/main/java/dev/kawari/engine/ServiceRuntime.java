package dev.kawari.engine;

import dev.kawari.engine.config.MonitorSpec;
import dev.kawari.engine.config.ServiceSpec;
import dev.kawari.engine.event.EventKind;
import dev.kawari.engine.event.EventRecorder;
import dev.kawari.engine.monitor.MonitorRunner;
import dev.kawari.engine.monitor.RecoveryLadder;
import dev.kawari.engine.tree.ActionRunner;
import dev.kawari.engine.tree.ServiceTree;
import dev.kawari.engine.tree.State;
import dev.kawari.engine.tree.TreeOutcome;
import dev.kawari.spi.CheckResult;
import dev.kawari.spi.TimeSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One service on this node: its tree, its monitors, its engine-owned state, and the recovery ladder
 * acting on monitor decisions. Walks over the tree (restore, remove, recovery) never overlap.
 */
public final class ServiceRuntime {
    private final String name;
    private final ServiceTree tree;
    private final List<MonitorRunner> monitors = new ArrayList<>();
    private final EventRecorder events;
    private final Executor workers;
    private final ReentrantLock walks = new ReentrantLock();
    private final AtomicReference<State> state = new AtomicReference<>(State.OUT_OF_SERVICE);
    private volatile java.util.function.Consumer<String> failoverListener = why -> { };

    ServiceRuntime(ServiceSpec spec, ActionRunner runner, Executor workers, ScheduledExecutorService timers,
            EventRecorder events, TimeSource time) {
        this.name = spec.name();
        this.tree = new ServiceTree(spec, runner, events);
        this.events = events;
        this.workers = workers;
        for (MonitorSpec monitor : spec.monitors()) {
            monitors.add(new MonitorRunner(name, monitor, runner, timers, events, time, this::decided));
        }
    }

    public String name() {
        return name;
    }

    public State state() {
        return state.get();
    }

    public ServiceTree tree() {
        return tree;
    }

    public List<MonitorRunner> monitors() {
        return List.copyOf(monitors);
    }

    /**
     * Restores {@code targets} (and what they need), or the whole service when empty. A failure is
     * rolled back, leaves the service FAILED and requests a failover.
     */
    public TreeOutcome restore(Collection<String> targets) {
        walks.lock();
        try {
            transition(State.RESTORING, "restore started");
            TreeOutcome outcome = tree.restore(targets);
            if (outcome.ok()) {
                transition(State.IN_SERVICE, "restore finished in " + outcome.duration().toMillis() + " ms");
            } else {
                fail("restore failed: " + outcome.failures());
            }
            return outcome;
        } finally {
            walks.unlock();
        }
    }

    /** Stops the monitors and removes {@code targets} (and what depends on them), or everything when empty. */
    public TreeOutcome remove(Collection<String> targets) {
        if (targets.isEmpty()) {
            stopMonitors();
        }
        walks.lock();
        try {
            transition(State.REMOVING, "remove started");
            TreeOutcome outcome = tree.remove(targets);
            if (outcome.ok()) {
                transition(State.OUT_OF_SERVICE, "remove finished in " + outcome.duration().toMillis() + " ms");
            } else {
                transition(State.FAILED, "remove failed: " + outcome.failures());
            }
            return outcome;
        } finally {
            walks.unlock();
        }
    }

    /**
     * Runs the checks of {@code targets} (every resource when empty) and, once, every monitor watching
     * one of them; monitors are keyed {@code monitor:<id>}. Nothing is recovered.
     */
    public Map<String, CheckResult> checkOnce(Collection<String> targets) {
        Map<String, CompletableFuture<CheckResult>> probes = new LinkedHashMap<>();
        for (MonitorRunner monitor : monitors) {
            if (targets.isEmpty() || targets.contains(monitor.spec().target())) {
                probes.put("monitor:" + monitor.spec().id(), monitor.checkNow());
            }
        }
        Map<String, CheckResult> results = new LinkedHashMap<>(tree.check(targets));
        probes.forEach((key, probe) -> results.put(key, probe.join()));
        return results;
    }

    public void startMonitors() {
        monitors.forEach(MonitorRunner::start);
    }

    /** Pauses the running monitors (maintenance mode): no checks, no recovery, until {@link #resumeMonitors()}. */
    public void pauseMonitors() {
        monitors.forEach(MonitorRunner::pause);
    }

    public void resumeMonitors() {
        monitors.forEach(MonitorRunner::resume);
    }

    /**
     * Called (on an engine thread) with the reason whenever this service requests a failover: a
     * failed restore or local recovery, or a monitor past its local recoveries. The cluster uses it
     * to hand the lease on; without one the request is only an event.
     */
    public void onFailoverRequested(java.util.function.Consumer<String> listener) {
        this.failoverListener = java.util.Objects.requireNonNull(listener, "listener");
    }

    public void stopMonitors() {
        monitors.forEach(MonitorRunner::stop);
    }

    private void decided(MonitorRunner monitor, RecoveryLadder.Decision decision, CheckResult result) {
        switch (decision) {
            case NONE -> { }
            case RECOVER_LOCALLY -> workers.execute(() -> recoverLocally(monitor));
            case FAIL_OVER -> workers.execute(() -> {
                stopMonitors();
                fail("monitor " + monitor.spec().id() + " keeps failing on " + monitor.spec().target() + " ("
                        + result.reason() + ") and " + monitor.ladder().maxLocalRecoveries()
                        + " local recoveries in " + monitor.spec().recoveryWindow() + " are used up");
            });
        }
    }

    private void recoverLocally(MonitorRunner monitor) {
        String target = monitor.spec().target();
        monitors.forEach(MonitorRunner::pause);
        walks.lock();
        try {
            if (state.get() != State.IN_SERVICE) {
                return;
            }
            events.record(EventKind.RECOVERY, name, target, "started", null,
                    "local recovery " + monitor.ladder().recoveriesInWindow() + " of at most "
                            + monitor.ladder().maxLocalRecoveries() + " in " + monitor.spec().recoveryWindow(),
                    Map.of("monitor", monitor.spec().id()));
            TreeOutcome outcome = tree.recover(target);
            if (outcome.ok()) {
                events.record(EventKind.RECOVERY, name, target, "ok", outcome.duration(),
                        "recovered " + outcome.succeeded(), Map.of("monitor", monitor.spec().id()));
                monitors.forEach(MonitorRunner::resume);
            } else {
                events.record(EventKind.RECOVERY, name, target, "failed", outcome.duration(),
                        "local recovery failed: " + outcome.failures(), Map.of("monitor", monitor.spec().id()));
                stopMonitors();
                fail("local recovery of " + target + " failed: " + outcome.failures());
            }
        } finally {
            walks.unlock();
        }
    }

    private void fail(String why) {
        transition(State.FAILED, why);
        events.record(EventKind.FAILOVER_REQUESTED, name, "", "requested", null, why, Map.of());
        failoverListener.accept(why);
    }

    private void transition(State next, String why) {
        State previous = state.getAndSet(next);
        events.record(EventKind.SERVICE_STATE, name, "", next.name(), null, why, Map.of("from", previous.name()));
    }
}
