package dev.kawari.engine.tree;

/** The engine's states for resources and services. Kits never set them. */
public enum State {
    OUT_OF_SERVICE,
    RESTORING,
    IN_SERVICE,
    REMOVING,
    FAILED
}
