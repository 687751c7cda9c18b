package dev.kawari.spi;

/** The operations the engine runs on a resource. */
public enum Action {
    RESTORE,
    REMOVE,
    RECOVER,
    CHECK;

    /** Lower-case name, as used in events and configuration. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
