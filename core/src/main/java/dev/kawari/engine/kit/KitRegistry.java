package dev.kawari.engine.kit;

import dev.kawari.spi.cluster.CoordinatorType;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import dev.kawari.spi.MonitorType;
import dev.kawari.spi.RecoveryKit;
import dev.kawari.spi.ResourceType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Every resource and monitor type available, found through {@link ServiceLoader}, together with the
 * kits' {@code reference.conf} declarations of their keys (see {@link #resourceReference}).
 */
public final class KitRegistry {
    private final List<RecoveryKit> kits;
    private final Map<String, ResourceType> resourceTypes = new TreeMap<>();
    private final Map<String, MonitorType> monitorTypes = new TreeMap<>();
    private final Map<String, String> kitOfResourceType = new TreeMap<>();
    private final Map<String, String> kitOfMonitorType = new TreeMap<>();
    private final Map<String, CoordinatorType> coordinatorTypes = new TreeMap<>();
    private final Config reference;

    private KitRegistry(List<RecoveryKit> kits, ClassLoader classLoader) {
        this.kits = List.copyOf(kits);
        coordinatorTypes.put(dev.kawari.engine.cluster.EmbeddedCoordinatorType.ID,
                new dev.kawari.engine.cluster.EmbeddedCoordinatorType()); // core's own, on any class path
        for (CoordinatorType type : ServiceLoader.load(CoordinatorType.class, classLoader)) {
            CoordinatorType previous = coordinatorTypes.putIfAbsent(type.id(), type);
            if (previous != null && previous.getClass() != type.getClass()) {
                throw new IllegalStateException("coordinator type '" + type.id() + "' is contributed twice: "
                        + previous.getClass().getName() + " and " + type.getClass().getName());
            }
        }
        for (RecoveryKit kit : kits) {
            for (ResourceType type : kit.resourceTypes()) {
                register(resourceTypes, kitOfResourceType, type.id(), type, kit, "resource");
            }
            for (MonitorType type : kit.monitorTypes()) {
                register(monitorTypes, kitOfMonitorType, type.id(), type, kit, "monitor");
            }
        }
        this.reference = ConfigFactory.parseResourcesAnySyntax(
                classLoader, "reference.conf", ConfigParseOptions.defaults().setClassLoader(classLoader))
                .withFallback(ConfigFactory.parseResources(KitRegistry.class.getClassLoader(),
                        "dev/kawari/engine/cluster/embedded.conf"))
                .resolve();
    }

    /** The kits on {@code classLoader}'s class path. */
    public static KitRegistry discover(ClassLoader classLoader) {
        List<RecoveryKit> found = new ArrayList<>();
        ServiceLoader.load(RecoveryKit.class, classLoader).forEach(found::add);
        found.sort((a, b) -> a.name().compareTo(b.name()));
        return new KitRegistry(found, classLoader);
    }

    /** The kits on the class path of this class. */
    public static KitRegistry discover() {
        return discover(KitRegistry.class.getClassLoader());
    }

    /** Exactly the given kits; key declarations are read from {@code classLoader}'s reference files. */
    public static KitRegistry of(List<RecoveryKit> kits, ClassLoader classLoader) {
        return new KitRegistry(kits, classLoader);
    }

    private static <T> void register(
            Map<String, T> types, Map<String, String> owners, String id, T type, RecoveryKit kit, String kind) {
        String previous = owners.putIfAbsent(id, kit.name());
        if (previous != null) {
            throw new IllegalStateException(
                    kind + " type '" + id + "' is contributed by two kits: " + previous + " and " + kit.name()
                            + "; remove one of the jars from the class path");
        }
        types.put(id, type);
    }

    public List<RecoveryKit> kits() {
        return kits;
    }

    public Optional<ResourceType> resourceType(String id) {
        return Optional.ofNullable(resourceTypes.get(id));
    }

    public Optional<MonitorType> monitorType(String id) {
        return Optional.ofNullable(monitorTypes.get(id));
    }

    /** Resource type ids, sorted. */
    public Map<String, ResourceType> resourceTypes() {
        return Collections.unmodifiableMap(resourceTypes);
    }

    /** Monitor type ids, sorted. */
    public Map<String, MonitorType> monitorTypes() {
        return Collections.unmodifiableMap(monitorTypes);
    }

    /** Coordinator types ({@code kawari.coordinator.type}) found on the class path, sorted by id. */
    public Map<String, CoordinatorType> coordinatorTypes() {
        return Collections.unmodifiableMap(coordinatorTypes);
    }

    /** As {@link #resourceReference} for coordinator types, under {@code kawari-kits.coordinator-types}. */
    public Config coordinatorReference(String typeId) {
        return block("kawari-kits.coordinator-types", typeId);
    }

    public String kitOfResourceType(String id) {
        return kitOfResourceType.get(id);
    }

    public String kitOfMonitorType(String id) {
        return kitOfMonitorType.get(id);
    }

    /**
     * The declared keys and defaults of a resource type: its block under
     * {@code kawari-kits.resource-types.<id>} in the kits' {@code reference.conf}; empty if the kit
     * declares none.
     */
    public Config resourceReference(String typeId) {
        return block("kawari-kits.resource-types", typeId);
    }

    /** As {@link #resourceReference} for monitor types, under {@code kawari-kits.monitor-types}. */
    public Config monitorReference(String typeId) {
        return block("kawari-kits.monitor-types", typeId);
    }

    /**
     * Top-level sections of {@code kawari} that kits declare, by name, under
     * {@code kawari-kits.sections.<name>} (for example {@code aws}: region, endpoints, credentials
     * shared by every AWS kit). The engine validates {@code kawari.<name>} against the declaration
     * and hands the merged block to kits through {@link dev.kawari.spi.KitContext#section}.
     */
    public Map<String, Config> sectionReferences() {
        Map<String, Config> sections = new TreeMap<>();
        if (reference.hasPath("kawari-kits.sections")) {
            reference.getObject("kawari-kits.sections").forEach((name, value) -> {
                if (value instanceof com.typesafe.config.ConfigObject object) {
                    sections.put(name, object.toConfig());
                }
            });
        }
        return sections;
    }

    private Config block(String root, String typeId) {
        String path = root + ".\"" + typeId + "\"";
        return reference.hasPathOrNull(path) ? reference.getConfig(path) : ConfigFactory.empty();
    }
}
