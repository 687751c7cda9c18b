package dev.kawari.engine.tree;

import dev.kawari.spi.OperationContext;

/** One call into a kit, run by {@link ActionRunner}. */
@FunctionalInterface
public interface KitCall<T> {
    T call(OperationContext context) throws InterruptedException;
}
