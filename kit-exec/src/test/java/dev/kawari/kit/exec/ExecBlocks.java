package dev.kawari.kit.exec;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.kawari.spi.Monitor;
import dev.kawari.spi.Resource;
import dev.kawari.testkit.KitConfigs;
import dev.kawari.testkit.TestKitContext;
import java.util.LinkedHashMap;
import java.util.Map;

/** Exec blocks for tests, built from values in code so that paths need no quoting. */
final class ExecBlocks {
    private ExecBlocks() {
    }

    /** A block from alternating keys (HOCON paths) and values (strings, lists, maps, numbers). */
    static Config block(Object... keysAndValues) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return ConfigFactory.parseMap(values);
    }

    /** An exec resource from a valid block; fails the test if the block has problems. */
    static Resource resource(Config block) {
        TestKitContext context = new TestKitContext();
        Resource resource = new ExecResourceType().create(KitConfigs.resource("exec", block), context);
        assertThat(context.problems()).as("problems of %s", block.root().render()).isEmpty();
        assertThat(resource).isNotNull();
        return resource;
    }

    /** An exec monitor from a valid block; fails the test if the block has problems. */
    static Monitor monitor(Config block) {
        TestKitContext context = new TestKitContext();
        Monitor monitor = new ExecMonitorType().create(KitConfigs.monitor("exec", block), context);
        assertThat(context.problems()).as("problems of %s", block.root().render()).isEmpty();
        assertThat(monitor).isNotNull();
        return monitor;
    }
}
