package dev.kawari.engine;

import dev.kawari.engine.config.ConfigLoader;
import dev.kawari.engine.config.KawariConfig;
import dev.kawari.engine.config.NodeSpec;
import dev.kawari.engine.event.EventBus;
import dev.kawari.engine.kit.KitRegistry;
import dev.kawari.spi.Sleeper;
import dev.kawari.spi.TimeSource;
import jakarta.inject.Inject;
import java.util.stream.Collectors;

/**
 * The engine's front door, for the agent and for applications that embed Kawari: load a
 * configuration, then run its services on a node.
 *
 * <pre>{@code
 * Engine engine = Guice.createInjector(new EngineModule()).getInstance(Engine.class);
 * try (KawariConfig config = engine.configs().load(Path.of("kawari.conf"));
 *      LocalNode node = engine.startNode(config, "node-a")) {
 *     node.restoreAll();
 *     node.startMonitors();
 *     ...
 *     node.removeAll();
 * }
 * }</pre>
 */
public final class Engine {
    private final KitRegistry kits;
    private final ConfigLoader configs;
    private final TimeSource time;
    private final Sleeper sleeper;
    private final EventBus events;

    @Inject
    public Engine(KitRegistry kits, ConfigLoader configs, TimeSource time, Sleeper sleeper, EventBus events) {
        this.kits = kits;
        this.configs = configs;
        this.time = time;
        this.sleeper = sleeper;
        this.events = events;
    }

    public KitRegistry kits() {
        return kits;
    }

    public ConfigLoader configs() {
        return configs;
    }

    public EventBus events() {
        return events;
    }

    public TimeSource time() {
        return time;
    }

    /**
     * Prepares {@code config}'s services to run on the node named {@code nodeName}; nothing runs
     * until the caller restores.
     *
     * @throws IllegalArgumentException if the configuration has no such node
     */
    public LocalNode startNode(KawariConfig config, String nodeName) {
        NodeSpec node = config.node(nodeName).orElseThrow(() -> new IllegalArgumentException(
                "no node '" + nodeName + "' in " + config.source() + "; nodes: "
                        + config.nodes().stream().map(NodeSpec::name).collect(Collectors.joining(", "))));
        return new LocalNode(config, node, time, sleeper, events);
    }
}
