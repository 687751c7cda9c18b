package dev.kawari.spi;

import java.util.Map;

/**
 * Where a kit reports what it did beyond success or failure: the output of a command, the number of
 * API calls made. Each note becomes an event tied to the running action's service, resource and
 * node. Kits never put secrets in notes.
 */
@FunctionalInterface
public interface EventSink {
    /**
     * Records a note.
     *
     * @param message one line for people
     * @param details small string values (bounded by the kit); copied
     */
    void note(String message, Map<String, String> details);

    /** A sink that drops everything. */
    static EventSink discarding() {
        return (message, details) -> { };
    }
}
