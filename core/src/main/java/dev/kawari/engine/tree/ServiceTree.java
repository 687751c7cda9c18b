package dev.kawari.engine.tree;

import dev.kawari.engine.config.ResourceSpec;
import dev.kawari.engine.config.ServiceSpec;
import dev.kawari.engine.event.EventKind;
import dev.kawari.engine.event.EventRecorder;
import dev.kawari.spi.Action;
import dev.kawari.spi.CheckResult;
import dev.kawari.spi.ErrorType;
import dev.kawari.spi.KawariException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/**
 * The resources of one service as a dependency graph, and the walks over it: restore bottom-up,
 * remove top-down, independent branches in parallel, every action bounded by its resource's
 * timeout, and a failed restore rolled back in reverse order.
 *
 * <p>Walks on one tree must not overlap; {@link dev.kawari.engine.ServiceRuntime} serialises them.
 */
public final class ServiceTree {
    private final String service;
    private final Map<String, ResourceHandle> resources = new LinkedHashMap<>();
    private final ActionRunner runner;
    private final EventRecorder events;

    public ServiceTree(ServiceSpec spec, ActionRunner runner, EventRecorder events) {
        this.service = spec.name();
        this.runner = runner;
        this.events = events;
        for (ResourceSpec resource : spec.resources()) {
            resources.put(resource.id(), new ResourceHandle(resource));
        }
        for (ResourceSpec resource : spec.resources()) {
            for (String dependency : resource.dependsOn()) {
                ResourceHandle target = resources.get(dependency);
                if (target == null) {
                    throw new IllegalArgumentException("resource '" + resource.id() + "' of service '" + service
                            + "' depends on unknown resource '" + dependency + "'");
                }
                resources.get(resource.id()).addDependency(target);
            }
        }
    }

    public String service() {
        return service;
    }

    public Collection<ResourceHandle> resources() {
        return Collections.unmodifiableCollection(resources.values());
    }

    public Optional<ResourceHandle> resource(String id) {
        return Optional.ofNullable(resources.get(id));
    }

    /**
     * Restores {@code targets} and everything they depend on (all resources when {@code targets} is
     * empty). On failure, removes again, top-down, every resource this walk acted on.
     */
    public TreeOutcome restore(Collection<String> targets) {
        long start = runner.time().nanoTime();
        Set<ResourceHandle> members = targets.isEmpty() ? new LinkedHashSet<>(resources.values())
                : closure(targets, ResourceHandle::dependencies);
        return restoreMembers(members, start);
    }

    private TreeOutcome restoreMembers(Set<ResourceHandle> members, long start) {
        Collector collector = new Collector();
        TreeWalk.Result walk = ActionRunner.join(TreeWalk.run(members, TreeWalk.Direction.DEPENDENCIES_FIRST, true,
                resource -> act(resource, Action.RESTORE, State.RESTORING, State.IN_SERVICE, collector)));
        List<String> rolledBack = List.of();
        if (!walk.failed().isEmpty()) {
            Set<ResourceHandle> actedOn = new LinkedHashSet<>(walk.succeeded());
            actedOn.addAll(walk.failed());
            Collector rollback = new Collector();
            TreeWalk.Result undo = ActionRunner.join(TreeWalk.run(actedOn, TreeWalk.Direction.DEPENDENTS_FIRST, false,
                    resource -> act(resource, Action.REMOVE, State.REMOVING, State.OUT_OF_SERVICE, rollback)));
            rolledBack = ids(undo.succeeded());
            collector.failures.addAll(rollback.failures);
        }
        return new TreeOutcome(Action.RESTORE, ids(walk.succeeded()), List.copyOf(collector.failures),
                ids(walk.skipped()), rolledBack, since(start));
    }

    /**
     * Removes {@code targets} and everything that depends on them (all resources when empty),
     * dependents first. A resource whose dependent failed to go out of service is left alone.
     */
    public TreeOutcome remove(Collection<String> targets) {
        long start = runner.time().nanoTime();
        Set<ResourceHandle> members = targets.isEmpty() ? new LinkedHashSet<>(resources.values())
                : closure(targets, ResourceHandle::dependents);
        return removeMembers(members, start);
    }

    private TreeOutcome removeMembers(Set<ResourceHandle> members, long start) {
        Collector collector = new Collector();
        TreeWalk.Result walk = ActionRunner.join(TreeWalk.run(members, TreeWalk.Direction.DEPENDENTS_FIRST, false,
                resource -> act(resource, Action.REMOVE, State.REMOVING, State.OUT_OF_SERVICE, collector)));
        return new TreeOutcome(Action.REMOVE, ids(walk.succeeded()), List.copyOf(collector.failures),
                ids(walk.skipped()), List.of(), since(start));
    }

    /**
     * Local recovery of {@code target}: removes what depends on it (top-down), runs the target's
     * {@code recover}, and restores its dependents again (bottom-up).
     */
    public TreeOutcome recover(String target) {
        long start = runner.time().nanoTime();
        ResourceHandle handle = resources.get(target);
        if (handle == null) {
            throw new IllegalArgumentException("no resource '" + target + "' in service '" + service + "'");
        }
        Set<ResourceHandle> dependents = closure(List.of(target), ResourceHandle::dependents);
        dependents.remove(handle);
        List<String> succeeded = new ArrayList<>();
        if (!dependents.isEmpty()) {
            TreeOutcome down = removeMembers(dependents, start);
            if (!down.ok()) {
                return new TreeOutcome(Action.RECOVER, down.succeeded(), down.failures(), down.skipped(), List.of(),
                        since(start));
            }
        }
        Collector collector = new Collector();
        boolean recovered = ActionRunner.join(act(handle, Action.RECOVER, State.RESTORING, State.IN_SERVICE, collector));
        if (!recovered) {
            return new TreeOutcome(Action.RECOVER, List.of(), List.copyOf(collector.failures), ids(dependents), List.of(), since(start));
        }
        succeeded.add(target);
        if (!dependents.isEmpty()) {
            TreeOutcome up = restoreMembers(dependents, runner.time().nanoTime());
            succeeded.addAll(up.succeeded());
            return new TreeOutcome(Action.RECOVER, succeeded, up.failures(), up.skipped(), up.rolledBack(), since(start));
        }
        return new TreeOutcome(Action.RECOVER, succeeded, List.of(), List.of(), List.of(), since(start));
    }

    /**
     * Runs the resources' own checks in parallel (all resources when {@code targets} is empty). A
     * check that outlives its timeout is Unhealthy; one that throws is Unknown.
     */
    public Map<String, CheckResult> check(Collection<String> targets) {
        List<ResourceHandle> members = targets.isEmpty() ? List.copyOf(resources.values())
                : targets.stream().map(this::require).toList();
        Map<String, CompletableFuture<CheckResult>> running = new LinkedHashMap<>();
        for (ResourceHandle resource : members) {
            running.put(resource.id(), checkOne(resource));
        }
        Map<String, CheckResult> results = new LinkedHashMap<>();
        running.forEach((id, future) -> results.put(id, ActionRunner.join(future)));
        return results;
    }

    private CompletableFuture<CheckResult> checkOne(ResourceHandle resource) {
        Duration timeout = resource.resource().timeout(Action.CHECK);
        long start = runner.time().nanoTime();
        return runner.call(service, resource.id(), "check of " + service + "/" + resource.id(), timeout, 1, null,
                        context -> resource.resource().check(context))
                .handle((result, failure) -> {
                    CheckResult answer = failure == null ? result : failedCheck(ActionRunner.unwrap(failure));
                    events.record(EventKind.ACTION, service, resource.id(), answer.status().name().toLowerCase(),
                            since(start), "check: " + describe(answer), Map.of("action", Action.CHECK.id()));
                    return answer;
                });
    }

    /** A check that could not run to completion: a timeout means the probe hung, anything else is undecided. */
    public static CheckResult failedCheck(KawariException failure) {
        if (failure.type() == ErrorType.TIMEOUT) {
            return CheckResult.unhealthy(failure.getMessage());
        }
        return CheckResult.unknown(failure.code().name() + ": " + failure.getMessage());
    }

    private static String describe(CheckResult result) {
        return result.reason().isEmpty() ? result.status().name().toLowerCase() : result.reason();
    }

    private CompletableFuture<Boolean> act(ResourceHandle resource, Action action, State during, State after,
            Collector collector) {
        resource.setState(during);
        events.record(EventKind.RESOURCE_STATE, service, resource.id(), during.name(), action.id() + " started");
        long start = runner.time().nanoTime();
        String doing = action.id() + " of " + service + "/" + resource.id();
        return runner.call(service, resource.id(), doing, resource.resource().timeout(action), 1,
                        resource.actionLock(), context -> {
                            switch (action) {
                                case RESTORE -> resource.resource().restore(context);
                                case REMOVE -> resource.resource().remove(context);
                                case RECOVER -> resource.resource().recover(context);
                                case CHECK -> throw new IllegalArgumentException("checks are not walked");
                            }
                            return Boolean.TRUE;
                        })
                .handle((ignored, failure) -> {
                    Duration took = since(start);
                    if (failure == null) {
                        resource.setState(after);
                        events.record(EventKind.ACTION, service, resource.id(), "ok", took, action.id() + " succeeded",
                                Map.of("action", action.id()));
                        events.record(EventKind.RESOURCE_STATE, service, resource.id(), after.name(),
                                action.id() + " finished");
                        return true;
                    }
                    KawariException error = ActionRunner.unwrap(failure);
                    resource.setState(State.FAILED);
                    collector.failures.add(new TreeOutcome.Failure(resource.id(), error.code(), error.getMessage()));
                    events.record(EventKind.ACTION, service, resource.id(),
                            error.type() == ErrorType.TIMEOUT ? "timed-out" : "failed", took,
                            action.id() + " failed: " + error.getMessage(),
                            Map.of("action", action.id(), "error-code", error.code().name(),
                                    "error-type", error.type().name(), "retryable", String.valueOf(error.retryable())));
                    events.record(EventKind.RESOURCE_STATE, service, resource.id(), State.FAILED.name(),
                            action.id() + " failed");
                    return false;
                });
    }

    private ResourceHandle require(String id) {
        ResourceHandle handle = resources.get(id);
        if (handle == null) {
            throw new IllegalArgumentException("no resource '" + id + "' in service '" + service + "'");
        }
        return handle;
    }

    /** {@code ids} and everything reachable from them through {@code edges}. */
    private Set<ResourceHandle> closure(Collection<String> ids, Function<ResourceHandle, List<ResourceHandle>> edges) {
        Set<ResourceHandle> seen = new LinkedHashSet<>();
        Deque<ResourceHandle> todo = new ArrayDeque<>();
        ids.forEach(id -> todo.add(require(id)));
        while (!todo.isEmpty()) {
            ResourceHandle next = todo.poll();
            if (seen.add(next)) {
                todo.addAll(edges.apply(next));
            }
        }
        return seen;
    }

    private Duration since(long startNanos) {
        return Duration.ofNanos(runner.time().nanoTime() - startNanos);
    }

    private static List<String> ids(Collection<ResourceHandle> handles) {
        return handles.stream().map(ResourceHandle::id).toList();
    }

    /** Failures gathered from steps that complete on several threads. */
    private static final class Collector {
        final Collection<TreeOutcome.Failure> failures = new ConcurrentLinkedQueue<>();
    }
}
