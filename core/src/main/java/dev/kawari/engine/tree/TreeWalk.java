package dev.kawari.engine.tree;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Walks a set of resources in dependency order, starting each one's step as soon as everything it
 * waits for has succeeded, so that independent branches run in parallel and the walk takes as long
 * as its critical path. A resource whose prerequisite failed or was skipped is skipped. With {@code
 * stopOnFailure}, no new step starts after the first failure; steps already running finish.
 *
 * <p>Completions may arrive on any thread; a trampoline starts the ready steps so that fast steps
 * never recurse through each other's callbacks.
 */
final class TreeWalk {

    /** Which neighbours a resource waits for. */
    enum Direction {
        /** Dependencies first: restore. */
        DEPENDENCIES_FIRST,
        /** Dependents first: remove. */
        DEPENDENTS_FIRST
    }

    /** Starts one resource's step; the future tells whether it succeeded and must not fail. */
    @FunctionalInterface
    interface Step {
        CompletableFuture<Boolean> start(ResourceHandle resource);
    }

    record Result(List<ResourceHandle> succeeded, List<ResourceHandle> failed, List<ResourceHandle> skipped) {
    }

    private final Set<ResourceHandle> members;
    private final Direction direction;
    private final boolean stopOnFailure;
    private final Step step;
    private final CompletableFuture<Result> done = new CompletableFuture<>();

    private final Map<ResourceHandle, Integer> waitingFor = new HashMap<>();
    private final Set<ResourceHandle> blocked = new HashSet<>();
    private final ArrayDeque<ResourceHandle> ready = new ArrayDeque<>();
    private final List<ResourceHandle> succeeded = new ArrayList<>();
    private final List<ResourceHandle> failed = new ArrayList<>();
    private final List<ResourceHandle> skipped = new ArrayList<>();
    private boolean draining;
    private boolean stopped;
    private int unresolved;

    private TreeWalk(Collection<ResourceHandle> members, Direction direction, boolean stopOnFailure, Step step) {
        this.members = new HashSet<>(members);
        this.direction = direction;
        this.stopOnFailure = stopOnFailure;
        this.step = step;
    }

    static CompletableFuture<Result> run(Collection<ResourceHandle> members, Direction direction, boolean stopOnFailure,
            Step step) {
        TreeWalk walk = new TreeWalk(members, direction, stopOnFailure, step);
        walk.begin();
        return walk.done;
    }

    private List<ResourceHandle> prerequisites(ResourceHandle resource) {
        return switch (direction) {
            case DEPENDENCIES_FIRST -> resource.dependencies();
            case DEPENDENTS_FIRST -> resource.dependents();
        };
    }

    private List<ResourceHandle> successors(ResourceHandle resource) {
        return switch (direction) {
            case DEPENDENCIES_FIRST -> resource.dependents();
            case DEPENDENTS_FIRST -> resource.dependencies();
        };
    }

    private void begin() {
        synchronized (this) {
            unresolved = members.size();
            for (ResourceHandle member : members) {
                int count = (int) prerequisites(member).stream().filter(members::contains).count();
                waitingFor.put(member, count);
            }
            for (ResourceHandle member : members) {
                if (waitingFor.get(member) == 0) {
                    ready.add(member);
                }
            }
            if (unresolved == 0) {
                done.complete(new Result(List.of(), List.of(), List.of()));
                return;
            }
        }
        drain();
    }

    private void drain() {
        synchronized (this) {
            if (draining) {
                return;
            }
            draining = true;
        }
        while (true) {
            ResourceHandle next;
            synchronized (this) {
                next = ready.poll();
                while (next != null && stopped) {
                    skipped.add(next);
                    release(next, false);
                    next = ready.poll();
                }
                if (next == null) {
                    draining = false;
                    return;
                }
            }
            CompletableFuture<Boolean> outcome;
            try {
                outcome = step.start(next);
            } catch (RuntimeException e) {
                outcome = CompletableFuture.completedFuture(false);
            }
            ResourceHandle started = next;
            outcome.whenComplete((ok, failure) -> finished(started, failure == null && Boolean.TRUE.equals(ok)));
        }
    }

    private void finished(ResourceHandle resource, boolean ok) {
        synchronized (this) {
            if (ok) {
                succeeded.add(resource);
            } else {
                failed.add(resource);
                stopped |= stopOnFailure;
            }
            release(resource, ok);
        }
        drain();
    }

    /** Called with the lock held: one resource is resolved; wake or skip what waited for it. */
    private void release(ResourceHandle resource, boolean ok) {
        unresolved--;
        for (ResourceHandle successor : successors(resource)) {
            if (!members.contains(successor)) {
                continue;
            }
            if (!ok) {
                blocked.add(successor);
            }
            int left = waitingFor.merge(successor, -1, Integer::sum);
            if (left == 0) {
                if (blocked.contains(successor) || stopped) {
                    skipped.add(successor);
                    release(successor, false);
                } else {
                    ready.add(successor);
                }
            }
        }
        if (unresolved == 0) {
            done.complete(new Result(List.copyOf(succeeded), List.copyOf(failed), List.copyOf(skipped)));
        }
    }
}
