package dev.kawari.testkit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import dev.kawari.spi.MonitorDefinition;
import dev.kawari.spi.ResourceDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Definitions built the way the engine builds them: the block a test writes, checked against and
 * merged with the type's declaration in the {@code reference.conf} files on the class path
 * ({@code kawari-kits.resource-types.<type>} or {@code kawari-kits.monitor-types.<type>}).
 *
 * <pre>{@code
 * ResourceDefinition definition = KitConfigs.resource("exec", "start = [true], stop = [true]");
 * definition.config().getDuration("timeouts.start");   // the default from the kit's reference.conf
 * }</pre>
 *
 * <p>The block holds the kit's keys only: the engine's keys ({@code type}, {@code depends-on}, a
 * monitor's {@code target}, {@code interval}, {@code timeout} and so on) are not part of it. A key
 * the declaration does not know fails at once with {@link IllegalArgumentException}, as the engine
 * would reject it before the kit is called; it is checked with the engine's rules (an empty object
 * declaration such as {@code environment {}} accepts any keys below it).
 */
public final class KitConfigs {
    /** The service of the definitions built here. */
    public static final String SERVICE = "svc";
    /** The id of resource definitions built here, and the target of monitor definitions. */
    public static final String RESOURCE_ID = "res";
    /** The id of monitor definitions built here. */
    public static final String MONITOR_ID = "mon";

    private static final String RESOURCE_ROOT = "kawari-kits.resource-types.";
    private static final String MONITOR_ROOT = "kawari-kits.monitor-types.";

    private KitConfigs() {
    }

    /** Resource {@code svc/res} of {@code type} with the block written in {@code hocon}. */
    public static ResourceDefinition resource(String type, String hocon) {
        return resource(type, parse(hocon));
    }

    /** Resource {@code svc/res} of {@code type} with {@code block} (for values built in code). */
    public static ResourceDefinition resource(String type, Config block) {
        Config merged = merged(block, resourceReference(type), "resource type '" + type + "'", RESOURCE_ROOT + type);
        return new ResourceDefinition(SERVICE, RESOURCE_ID, type, merged);
    }

    /** Monitor {@code svc/mon} of {@code type}, targeting {@code res}, with the block written in {@code hocon}. */
    public static MonitorDefinition monitor(String type, String hocon) {
        return monitor(type, parse(hocon));
    }

    /** Monitor {@code svc/mon} of {@code type}, targeting {@code res}, with {@code block}. */
    public static MonitorDefinition monitor(String type, Config block) {
        Config merged = merged(block, monitorReference(type), "monitor type '" + type + "'", MONITOR_ROOT + type);
        return new MonitorDefinition(SERVICE, MONITOR_ID, type, RESOURCE_ID, merged);
    }

    /** The declared keys and defaults of a resource type; empty when no reference file declares it. */
    public static Config resourceReference(String type) {
        return reference(RESOURCE_ROOT, type);
    }

    /** The declared keys and defaults of a monitor type; empty when no reference file declares it. */
    public static Config monitorReference(String type) {
        return reference(MONITOR_ROOT, type);
    }

    private static Config parse(String hocon) {
        return ConfigFactory.parseString(hocon).resolve();
    }

    private static Config reference(String root, String type) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = KitConfigs.class.getClassLoader();
        }
        // Read as the engine reads it (KitRegistry): every reference.conf of the class path, without
        // the system-property overrides that ConfigFactory.defaultReference() would add.
        Config all = ConfigFactory.parseResourcesAnySyntax(
                loader, "reference.conf", ConfigParseOptions.defaults().setClassLoader(loader)).resolve();
        String path = root + ConfigUtil.quoteString(type);
        boolean declared = all.hasPath(path) && all.getValue(path) instanceof ConfigObject;
        return declared ? all.getConfig(path) : ConfigFactory.empty();
    }

    private static Config merged(Config block, Config reference, String label, String declaredAt) {
        List<String> unknown = new ArrayList<>();
        collectUnknown(block.root(), reference.root(), List.of(), unknown);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown key(s) " + unknown + " for " + label + "; declared keys: "
                    + reference.root().keySet() + " under " + declaredAt + " in the reference.conf files on the"
                    + " class path");
        }
        return block.withFallback(reference);
    }

    private static void collectUnknown(
            ConfigObject block, ConfigObject declared, List<String> prefix, List<String> unknown) {
        for (Map.Entry<String, ConfigValue> entry : block.entrySet()) {
            List<String> path = new ArrayList<>(prefix);
            path.add(entry.getKey());
            ConfigValue declaration = declared.get(entry.getKey());
            if (declaration == null) {
                unknown.add(ConfigUtil.joinPath(path));
            } else if (declaration instanceof ConfigObject nested && !nested.isEmpty()
                    && entry.getValue() instanceof ConfigObject child) {
                collectUnknown(child, nested, path, unknown);
            }
        }
    }
}
