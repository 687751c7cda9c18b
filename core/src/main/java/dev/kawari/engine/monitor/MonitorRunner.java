package dev.kawari.engine.monitor;

import dev.kawari.engine.config.MonitorSpec;
import dev.kawari.engine.event.EventKind;
import dev.kawari.engine.event.EventRecorder;
import dev.kawari.engine.tree.ActionRunner;
import dev.kawari.engine.tree.ServiceTree;
import dev.kawari.spi.CheckResult;
import dev.kawari.spi.TimeSource;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one monitor: a check every {@code interval} (measured from the end of the previous check, so
 * checks never overlap), each bounded by the monitor's {@code timeout}, fed to its {@link
 * RecoveryLadder}. Decisions other than {@code NONE} go to the {@link Listener}.
 *
 * <p>While paused (during a recovery of its service) no new check starts and results of checks
 * already running are dropped, so a recovery in progress is never counted as a failure.
 */
public final class MonitorRunner {

    /** Receives a monitor's decisions, on an engine thread. */
    @FunctionalInterface
    public interface Listener {
        void decided(MonitorRunner monitor, RecoveryLadder.Decision decision, CheckResult result);
    }

    private enum Phase {
        STOPPED,
        RUNNING,
        PAUSED
    }

    private final String service;
    private final MonitorSpec spec;
    private final RecoveryLadder ladder;
    private final ActionRunner runner;
    private final ScheduledExecutorService timers;
    private final EventRecorder events;
    private final Listener listener;
    private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.STOPPED);
    private final AtomicReference<CheckResult.Status> lastStatus = new AtomicReference<>();
    private long generation;

    public MonitorRunner(String service, MonitorSpec spec, ActionRunner runner, ScheduledExecutorService timers,
            EventRecorder events, TimeSource time, Listener listener) {
        this.service = Objects.requireNonNull(service, "service");
        this.spec = Objects.requireNonNull(spec, "spec");
        this.ladder = new RecoveryLadder(spec.failureThreshold(), spec.maxLocalRecoveries(), spec.recoveryWindow(), time);
        this.runner = runner;
        this.timers = timers;
        this.events = events;
        this.listener = listener;
    }

    public MonitorSpec spec() {
        return spec;
    }

    public RecoveryLadder ladder() {
        return ladder;
    }

    /**
     * Starts checking. Monitors start right after a restore, so the first check runs at once: the
     * restored service is known healthy (or not) as soon as it can be, not one interval later (10 s
     * by default, which would dominate a failover's time to healthy); a single early Unhealthy answer
     * of a service still warming up only counts towards {@code failure-threshold}. Its answer is always
     * recorded (a CHECK event), even if it is the same as the last answer before a stop: a service
     * restored again (a lease taken back) shows when it became healthy.
     */
    public synchronized void start() {
        if (phase.compareAndSet(Phase.STOPPED, Phase.RUNNING)) {
            lastStatus.set(null);
            schedule(Duration.ZERO);
        }
    }

    public synchronized void stop() {
        phase.set(Phase.STOPPED);
        generation++;
    }

    public synchronized void pause() {
        if (phase.compareAndSet(Phase.RUNNING, Phase.PAUSED)) {
            generation++;
        }
    }

    /** Resumes after a pause; the next check runs one interval from now. */
    public synchronized void resume() {
        if (phase.compareAndSet(Phase.PAUSED, Phase.RUNNING)) {
            lastStatus.set(null);
            schedule(spec.interval());
        }
    }

    public boolean running() {
        return phase.get() == Phase.RUNNING;
    }

    private void schedule(Duration delay) {
        long scheduledIn = generation;
        timers.schedule(() -> tick(scheduledIn), delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void tick(long scheduledIn) {
        synchronized (this) {
            if (phase.get() != Phase.RUNNING || scheduledIn != generation) {
                return;
            }
        }
        long start = runner.time().nanoTime();
        checkNow().thenAccept(result -> completed(scheduledIn, result, Duration.ofNanos(runner.time().nanoTime() - start)));
    }

    /**
     * Runs the monitor's check once, bounded by its timeout, outside the schedule and the ladder
     * (for one-shot checks). A check past its timeout is Unhealthy; one that throws is Unknown.
     */
    public CompletableFuture<CheckResult> checkNow() {
        return runner.call(service, spec.id(), "check of monitor " + service + "/" + spec.id(), spec.timeout(), 1, null,
                        context -> spec.instance().check(context))
                .handle((result, failure) -> failure == null ? result : ServiceTree.failedCheck(ActionRunner.unwrap(failure)));
    }

    private void completed(long scheduledIn, CheckResult result, Duration took) {
        RecoveryLadder.Decision decision;
        synchronized (this) {
            if (phase.get() != Phase.RUNNING || scheduledIn != generation) {
                return;
            }
            decision = ladder.record(result);
            if (decision == RecoveryLadder.Decision.NONE) {
                schedule(spec.interval());
            }
        }
        CheckResult.Status previous = lastStatus.getAndSet(result.status());
        if (previous != result.status() || result.status() == CheckResult.Status.UNHEALTHY) {
            events.record(EventKind.CHECK, service, spec.id(), result.status().name().toLowerCase(), took,
                    result.reason().isEmpty() ? "monitor " + spec.id() + " of " + spec.target() + " is healthy"
                            : result.reason(),
                    Map.of("target", spec.target(),
                            "consecutive-failures", String.valueOf(ladder.consecutiveFailures())));
        }
        if (decision != RecoveryLadder.Decision.NONE) {
            events.record(EventKind.MONITOR_FAILED, service, spec.id(), decision.name().toLowerCase().replace('_', '-'), null,
                    "monitor " + spec.id() + " failed " + spec.failureThreshold() + " time(s) in a row on "
                            + spec.target() + ": " + result.reason(),
                    Map.of("target", spec.target(), "decision", decision.name()));
            listener.decided(this, decision, result);
        }
    }
}
