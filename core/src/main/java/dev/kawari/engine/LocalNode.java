package dev.kawari.engine;

import dev.kawari.engine.config.KawariConfig;
import dev.kawari.engine.config.ConfigProblem;
import dev.kawari.engine.config.InvalidConfigException;
import dev.kawari.engine.config.MonitorSpec;
import dev.kawari.engine.config.NodeSpec;
import dev.kawari.engine.config.ResourceSpec;
import dev.kawari.engine.config.ServiceSpec;
import dev.kawari.engine.event.EventBus;
import dev.kawari.engine.event.EventRecorder;
import dev.kawari.engine.event.JsonLinesEventLog;
import dev.kawari.engine.tree.ActionRunner;
import dev.kawari.engine.tree.TreeOutcome;
import dev.kawari.spi.Action;
import dev.kawari.spi.KawariException;
import dev.kawari.spi.Sleeper;
import dev.kawari.spi.TimeSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
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
    private final KawariConfig config;
    private final NodeSpec node;
    private final Map<String, ServiceRuntime> services = new LinkedHashMap<>();
    private final ExecutorService workers;
    private final ScheduledThreadPoolExecutor timers;
    private final Optional<JsonLinesEventLog> eventLog;
    private final AutoCloseable eventLogSubscription;
    private final ActionRunner runner;
    private final EventRecorder events;
    private final Map<String, Long> epochs = new java.util.concurrent.ConcurrentHashMap<>();

    LocalNode(KawariConfig config, NodeSpec node, TimeSource time, Sleeper sleeper, EventBus bus) {
        this.config = config;
        this.node = node;
        this.workers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                named("kawari-worker"));
        this.timers = new ScheduledThreadPoolExecutor(1, named("kawari-timer"));
        this.timers.setRemoveOnCancelPolicy(true);
        this.eventLog = config.eventLog().map(JsonLinesEventLog::new);
        this.eventLogSubscription = eventLog.isPresent() ? bus.subscribe(eventLog.get()) : () -> { };
        this.events = new EventRecorder(bus, time, config.cluster(), node.name(),
                service -> epochs.getOrDefault(service, 0L));
        this.runner = new ActionRunner(workers, timers, time, sleeper, node.identity(), events);
        for (ServiceSpec service : config.services()) {
            services.put(service.name(), new ServiceRuntime(service, runner, workers, timers, events, time));
        }
    }

    public NodeSpec node() {
        return node;
    }

    public KawariConfig config() {
        return config;
    }

    /** Stamps this node's events. */
    public EventRecorder events() {
        return events;
    }

    /**
     * Sets the lease epoch under which {@code service} runs here: kits see it in their
     * {@link dev.kawari.spi.OperationContext#epoch()} and events carry it. 0 without a coordinator.
     */
    public void epoch(String service, long epoch) {
        epochs.put(service, epoch);
    }

    public long epoch(String service) {
        return epochs.getOrDefault(service, 0L);
    }

    public Collection<ServiceRuntime> services() {
        return services.values();
    }

    public Optional<ServiceRuntime> service(String name) {
        return Optional.ofNullable(services.get(name));
    }

    /**
     * Runs every resource's and monitor's {@code verify} in parallel, each bounded by its check
     * timeout: the configuration checked against the world before anything runs.
     *
     * @throws InvalidConfigException listing every problem, located at the offending key
     * @throws KawariException if a kit could not verify (the world could not be asked)
     */
    public void verify() {
        List<ConfigProblem> problems = new CopyOnWriteArrayList<>();
        List<CompletableFuture<Boolean>> running = new ArrayList<>();
        for (ServiceSpec service : config.services()) {
            for (ResourceSpec resource : service.resources()) {
                running.add(runner.call(service.name(), resource.id(), "verify of " + service.name() + "/" + resource.id(),
                        resource.instance().timeout(Action.CHECK), 1, null, context -> {
                            resource.instance().verify(context, (key, message) -> problems.add(
                                    ConfigProblem.atKey(resource.config(), resource.location(), key, message)));
                            return true;
                        }));
            }
            for (MonitorSpec monitor : service.monitors()) {
                running.add(runner.call(service.name(), monitor.id(), "verify of " + service.name() + "/" + monitor.id(),
                        monitor.timeout(), 1, null, context -> {
                            monitor.instance().verify(context, (key, message) -> problems.add(
                                    ConfigProblem.atKey(monitor.config(), monitor.location(), key, message)));
                            return true;
                        }));
            }
        }
        KawariException failure = null;
        for (CompletableFuture<Boolean> call : running) {
            try {
                call.join();
            } catch (java.util.concurrent.CompletionException e) {
                KawariException cause = ActionRunner.unwrap(e);
                if (failure == null) {
                    failure = cause;
                } else {
                    failure.addSuppressed(cause);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        if (failure != null) {
            throw failure;
        }
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
