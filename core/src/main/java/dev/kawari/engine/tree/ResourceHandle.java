package dev.kawari.engine.tree;

import dev.kawari.engine.config.ResourceSpec;
import dev.kawari.spi.Resource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/** A resource in a {@link ServiceTree}: its spec, its edges, its engine-owned state and its action lock. */
public final class ResourceHandle {
    private final ResourceSpec spec;
    private final List<ResourceHandle> dependencies = new ArrayList<>();
    private final List<ResourceHandle> dependents = new ArrayList<>();
    private final AtomicReference<State> state = new AtomicReference<>(State.OUT_OF_SERVICE);
    private final Semaphore actionLock = new Semaphore(1);

    ResourceHandle(ResourceSpec spec) {
        this.spec = spec;
    }

    public String id() {
        return spec.id();
    }

    public ResourceSpec spec() {
        return spec;
    }

    public Resource resource() {
        return spec.instance();
    }

    public State state() {
        return state.get();
    }

    State setState(State next) {
        return state.getAndSet(next);
    }

    Semaphore actionLock() {
        return actionLock;
    }

    /** Resources this one needs in service first. */
    public List<ResourceHandle> dependencies() {
        return Collections.unmodifiableList(dependencies);
    }

    /** Resources that need this one. */
    public List<ResourceHandle> dependents() {
        return Collections.unmodifiableList(dependents);
    }

    void addDependency(ResourceHandle dependency) {
        dependencies.add(dependency);
        dependency.dependents.add(this);
    }

    @Override
    public String toString() {
        return spec.id() + "[" + state.get() + "]";
    }
}
