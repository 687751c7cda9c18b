package dev.kawari.agent;

import dev.kawari.engine.Engine;
import dev.kawari.engine.LocalNode;
import dev.kawari.engine.ServiceRuntime;
import dev.kawari.engine.config.ClosestName;
import dev.kawari.engine.config.KawariConfig;
import dev.kawari.engine.config.NodeSpec;
import dev.kawari.engine.config.ServiceSpec;
import dev.kawari.engine.event.Slf4jEventLog;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * A loaded configuration running on one node, with engine events logged through SLF4J: what {@code run} and
 * the one-shot actions share. Closing it stops the engine's threads and the event logs; it does
 * not remove anything.
 */
final class NodeSession implements AutoCloseable {
    private final KawariConfig config;
    private final LocalNode node;
    private final Deque<AutoCloseable> closeables = new ArrayDeque<>();

    private NodeSession(KawariConfig config, LocalNode node) {
        this.config = config;
        this.node = node;
    }

    /**
     * Loads and validates {@code file} (throwing {@code InvalidConfigException} before anything
     * runs) and prepares it on {@code nodeName}.
     */
    static NodeSession open(Engine engine, Path file, String nodeName, Optional<Path> eventLog) {
        KawariConfig config = engine.configs().load(file);
        return open(engine, config, nodeName, eventLog);
    }

    static NodeSession open(Engine engine, KawariConfig config, String nodeName, Optional<Path> eventLog) {
        try {
            if (config.node(nodeName).isEmpty()) {
                var names = config.nodes().stream().map(NodeSpec::name).toList();
                throw new UsageException("no node '" + nodeName + "' in " + config.source()
                        + ClosestName.didYouMean(nodeName, names) + "; nodes: " + String.join(", ", names));
            }
            NodeSession session = new NodeSession(config,
                    engine.startNode(eventLog.isPresent() ? config.withEventLog(eventLog) : config, nodeName));
            session.closeables.push(config);
            session.closeables.push(session.node);
            session.closeables.push(engine.events().subscribe(new Slf4jEventLog()));
            return session;
        } catch (RuntimeException e) {
            config.close();
            throw e;
        }
    }

    KawariConfig config() {
        return config;
    }

    LocalNode node() {
        return node;
    }

    /** The named service, or a usage error that suggests the closest name. */
    ServiceRuntime service(String name) {
        return node.service(name).orElseThrow(() -> {
            var names = config.services().stream().map(ServiceSpec::name).toList();
            return new UsageException("no service '" + name + "' in " + config.source()
                    + ClosestName.didYouMean(name, names) + "; services: " + String.join(", ", names));
        });
    }

    @Override
    public void close() {
        while (!closeables.isEmpty()) {
            try {
                closeables.pop().close();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(NodeSession.class).warn("while shutting down: {}", e.toString());
            }
        }
    }
}
