package dev.kawari.engine.event;

/**
 * Receives every event. Called synchronously on the thread that recorded the event, possibly from
 * several threads at once: implementations are thread-safe, quick, and do not throw (an exception
 * is logged and the event still reaches the other listeners).
 */
@FunctionalInterface
public interface EventListener {
    void onEvent(Event event);
}
