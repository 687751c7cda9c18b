package dev.kawari.engine.event;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Fans events out to listeners; one per engine. */
public final class EventBus {
    private static final Logger LOG = LoggerFactory.getLogger(EventBus.class);

    private final List<EventListener> listeners = new CopyOnWriteArrayList<>();

    /** Adds a listener; returns a handle that removes it again. */
    public AutoCloseable subscribe(EventListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    public void publish(Event event) {
        for (EventListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                LOG.error("event listener {} failed on {} event of {}", listener, event.kind(), event.where(), e);
            }
        }
    }
}
