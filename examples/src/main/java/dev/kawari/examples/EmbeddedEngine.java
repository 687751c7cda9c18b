package dev.kawari.examples;

import com.google.inject.Guice;
import dev.kawari.engine.Engine;
import dev.kawari.engine.EngineModule;
import dev.kawari.engine.LocalNode;
import dev.kawari.engine.config.KawariConfig;
import dev.kawari.engine.event.EventKind;
import dev.kawari.engine.tree.TreeOutcome;
import java.nio.file.Path;
import java.util.Map;

/**
 * Embedding the Kawari engine in a Java application: install {@link EngineModule} in your injector,
 * load a configuration, run its services on a node, and listen to events. Kits are found on the
 * class path, exactly as in the agent.
 *
 * <p>{@code java -cp ... dev.kawari.examples.EmbeddedEngine kawari.conf node-a}
 */
public final class EmbeddedEngine {
    private EmbeddedEngine() {
    }

    /** Restores every service, prints its state, removes everything again; exit 0 if all went well. */
    public static int run(Path configFile, String nodeName) throws Exception {
        Engine engine = Guice.createInjector(new EngineModule()).getInstance(Engine.class);
        try (KawariConfig config = engine.configs().load(configFile);
                AutoCloseable listening = engine.events().subscribe(event -> {
                    if (event.kind() == EventKind.SERVICE_STATE) {
                        System.out.println(event.service() + " is " + event.outcome());
                    }
                });
                LocalNode node = engine.startNode(config, nodeName)) {
            Map<String, TreeOutcome> restored = node.restoreAll();
            Map<String, TreeOutcome> removed = node.removeAll();
            boolean ok = restored.values().stream().allMatch(TreeOutcome::ok)
                    && removed.values().stream().allMatch(TreeOutcome::ok);
            return ok ? 0 : 1;
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: EmbeddedEngine CONFIG NODE");
            System.exit(2);
        }
        System.exit(run(Path.of(args[0]), args[1]));
    }
}
