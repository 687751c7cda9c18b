package dev.kawari.engine;

import dev.kawari.engine.config.KawariConfig;
import dev.kawari.engine.config.NodeSpec;
import dev.kawari.engine.config.ServiceSpec;
import dev.kawari.engine.event.EventBus;
import dev.kawari.engine.event.EventRecorder;
import dev.kawari.engine.event.JsonLinesEventLog;
import dev.kawari.engine.tree.ActionRunner;
import dev.kawari.engine.tree.TreeOutcome;
import dev.kawari.spi.Sleeper;
import dev.kawari.spi.TimeSource;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The services of one configuration as run on one node, with its event log (when the configuration
 * names one) and the engine's threads: named daemon
 * workers for kit calls (one per call in flight, so independent branches really run in parallel)
 * and one timer thread for timeouts and monitor ticks.
 */
public final class LocalNode implements AutoCloseable {
    private final NodeSpec node;
    private final Map<String, ServiceRuntime> services = new LinkedHashMap<>();
    private final ExecutorService workers;
    private final ScheduledThreadPoolExecutor timers;
    private final Optional<JsonLinesEventLog> eventLog;
    private final AutoCloseable eventLogSubscription;

    LocalNode(KawariConfig config, NodeSpec node, TimeSource time, Sleeper sleeper, EventBus bus) {
        this.node = node;
        this.workers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                named("kawari-worker"));
        this.timers = new ScheduledThreadPoolExecutor(1, named("kawari-timer"));
        this.timers.setRemoveOnCancelPolicy(true);
        this.eventLog = config.eventLog().map(JsonLinesEventLog::new);
        this.eventLogSubscription = eventLog.isPresent() ? bus.subscribe(eventLog.get()) : () -> { };
        EventRecorder events = new EventRecorder(bus, time, config.cluster(), node.name(), service -> 0L);
        ActionRunner runner = new ActionRunner(workers, timers, time, sleeper, node.identity(), events);
        for (ServiceSpec service : config.services()) {
            services.put(service.name(), new ServiceRuntime(service, runner, workers, timers, events, time));
        }
    }

    public NodeSpec node() {
        return node;
    }

    public Collection<ServiceRuntime> services() {
        return services.values();
    }

    public Optional<ServiceRuntime> service(String name) {
        return Optional.ofNullable(services.get(name));
    }

    /** Restores every service, services in parallel. */
    public Map<String, TreeOutcome> restoreAll() {
        return eachService(service -> service.restore(List.of()));
    }

    /** Starts the monitors of every service that is in service. */
    public void startMonitors() {
        services.values().stream()
                .filter(service -> service.state() == dev.kawari.engine.tree.State.IN_SERVICE)
                .forEach(ServiceRuntime::startMonitors);
    }

    /** Stops all monitors, then removes every service top-down, services in parallel. */
    public Map<String, TreeOutcome> removeAll() {
        services.values().forEach(ServiceRuntime::stopMonitors);
        return eachService(service -> service.remove(List.of()));
    }

    private Map<String, TreeOutcome> eachService(Function<ServiceRuntime, TreeOutcome> walk) {
        Map<String, CompletableFuture<TreeOutcome>> running = new LinkedHashMap<>();
        services.forEach((name, service) -> running.put(name, CompletableFuture.supplyAsync(() -> walk.apply(service), workers)));
        Map<String, TreeOutcome> outcomes = new LinkedHashMap<>();
        running.forEach((name, future) -> outcomes.put(name, future.join()));
        return outcomes;
    }

    /**
     * Stops monitors, the engine's threads and the event log ({@code kawari.event-log}, written
     * through to its end). Does not remove anything: call {@link #removeAll()} first.
     */
    @Override
    public void close() {
        services.values().forEach(ServiceRuntime::stopMonitors);
        timers.shutdownNow();
        workers.shutdownNow();
        try {
            eventLogSubscription.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        eventLog.ifPresent(JsonLinesEventLog::close);
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
