package dev.kawari.kit.route53;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kawari.aws.InstanceMetadata;
import dev.kawari.engine.Engine;
import dev.kawari.engine.LocalNode;
import dev.kawari.engine.config.ConfigLoader;
import dev.kawari.engine.config.ConfigProblem;
import dev.kawari.engine.config.InvalidConfigException;
import dev.kawari.engine.config.KawariConfig;
import dev.kawari.engine.event.EventBus;
import dev.kawari.engine.kit.KitRegistry;
import dev.kawari.spi.Sleeper;
import dev.kawari.spi.TimeSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The real engine with the Route 53 kit only (its type built with the given instance metadata), for
 * tests that load a configuration file: located problems, monitors, services.
 */
final class Route53Engine {
    final Engine engine;
    final Path file;
    final String hocon;

    Route53Engine(Path directory, String hocon, InstanceMetadata metadata) throws java.io.IOException {
        Route53ResourceType type = new Route53ResourceType(metadata, Duration.ofMillis(500), TimeSource.system(),
                TimeSource.system());
        KitRegistry registry = KitRegistry.of(List.of(new Route53Kit(type)), Route53Engine.class.getClassLoader());
        this.engine = new Engine(registry, new ConfigLoader(registry), TimeSource.system(), Sleeper.system(),
                new EventBus());
        this.file = directory.resolve("kawari.conf");
        this.hocon = hocon;
        Files.writeString(file, hocon);
    }

    /** The problems {@code node}'s verify finds, each checked to be located in the file. */
    List<ConfigProblem> verify(String node) {
        try (KawariConfig config = engine.configs().load(file); LocalNode local = engine.startNode(config, node)) {
            InvalidConfigException invalid = catchThrowableOfType(InvalidConfigException.class, local::verify);
            if (invalid == null) {
                return List.of();
            }
            for (ConfigProblem problem : invalid.problems()) {
                assertThat(problem.file()).isEqualTo(file.toString());
                assertThat(problem.line()).isBetween(1, hocon.split("\n").length);
            }
            return invalid.problems();
        }
    }

    /** The 1-based line of the configuration that contains {@code text}. */
    int lineOf(String text) {
        String[] lines = hocon.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError("no line contains " + text);
    }
}
