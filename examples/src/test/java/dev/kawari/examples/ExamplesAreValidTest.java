package dev.kawari.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kawari.engine.config.ConfigLoader;
import dev.kawari.engine.config.InvalidConfigException;
import dev.kawari.engine.config.KawariConfig;
import dev.kawari.engine.kit.KitRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every configuration in examples/ is valid against every kit the agent bundles. */
class ExamplesAreValidTest {
    private static final Path EXAMPLES = Path.of("").toAbsolutePath();

    static List<Path> exampleFiles() throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".conf")).sorted().toList();
        }
    }

    @Test
    void thereAreExamples() throws IOException {
        assertThat(exampleFiles()).extracting(p -> p.getFileName().toString()).contains("demo.conf").hasSizeGreaterThan(1);
    }

    @TestFactory
    Stream<DynamicTest> everyExampleIsValid() throws IOException {
        ConfigLoader loader = new ConfigLoader(KitRegistry.discover());
        return exampleFiles().stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            try (KawariConfig config = loader.load(file)) {
                assertThat(config.services()).isNotEmpty();
            } catch (InvalidConfigException invalid) {
                throw new AssertionError(file + " is invalid:\n" + invalid.getMessage(), invalid);
            }
        }));
    }
}
