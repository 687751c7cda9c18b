package dev.kawari.engine.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import dev.kawari.spi.KitContext;
import dev.kawari.spi.NodeIdentity;
import dev.kawari.spi.Resource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The {@link KitContext} a type's {@code create} gets for one resource or monitor block. It turns
 * the kit's problems, and the exceptions its {@code create} throws, into located {@link
 * ConfigProblem}s, and keeps the values of the type's secret keys out of every message.
 */
final class BlockKitContext implements KitContext {
    private static final String REDACTED = "<secret>";

    private final String cluster;
    private final Map<String, NodeIdentity> nodes;
    private final Block block;
    private final List<String> secretValues;
    private final Consumer<ConfigProblem> problems;
    private final Map<String, Config> sections;
    private final Map<String, Resource> resources;
    private boolean validating = true;
    private int reported;

    /**
     * @param nodes in file order; not copied, so the caller passes an unmodifiable map
     * @param secretKeys the type's {@code secretKeys()}, paths relative to the block
     */
    BlockKitContext(String cluster, Map<String, NodeIdentity> nodes, Map<String, Config> sections, Block block,
            Set<String> secretKeys, Consumer<ConfigProblem> problems) {
        this(cluster, nodes, sections, Map.of(), block, secretKeys, problems);
    }

    /** @param resources for a monitor's block: the resources built for its service, by id */
    BlockKitContext(String cluster, Map<String, NodeIdentity> nodes, Map<String, Config> sections,
            Map<String, Resource> resources, Block block, Set<String> secretKeys, Consumer<ConfigProblem> problems) {
        this.resources = Map.copyOf(resources);
        this.sections = Objects.requireNonNull(sections, "sections");
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.nodes = Objects.requireNonNull(nodes, "nodes");
        this.block = Objects.requireNonNull(block, "block");
        this.secretValues = secretValues(block.object(), secretKeys);
        this.problems = Objects.requireNonNull(problems, "problems");
    }

    @Override
    public String cluster() {
        return cluster;
    }

    @Override
    public Map<String, NodeIdentity> nodes() {
        return nodes;
    }

    @Override
    public Config section(String name) {
        return sections.getOrDefault(name, ConfigFactory.empty());
    }

    @Override
    public Optional<Resource> resource(String id) {
        return Optional.ofNullable(resources.get(id));
    }

    @Override
    public void problem(String key, String message) {
        if (!validating) {
            // A problem reported after create returned would be lost from the report the operator sees.
            throw new IllegalStateException("KitContext.problem called after create returned, for " + block.label());
        }
        Objects.requireNonNull(message, "message");
        add(locate(key), message);
    }

    /** A kit read a bad value with one of Typesafe's typed getters. */
    void invalidValue(ConfigException e) {
        ConfigOrigin origin = e.origin();
        // The kit's view is the block merged with the reference defaults, so a missing key's origin
        // is a merged one without a line: point at the block instead.
        Location location = origin == null || Location.isMerged(origin) || origin.lineNumber() < 1
                ? block.location()
                : Location.of(origin);
        add(location, Location.messageWithoutOrigin(e.getMessage(), origin));
    }

    /** The kit's {@code create} failed in a way that is the kit's bug rather than the operator's. */
    void internalError(String kit, RuntimeException e) {
        String detail = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
        add(block.location(), "internal error in kit '" + kit + "' validating " + block.label() + ": " + detail);
    }

    /** Whether any problem was reported for this block. */
    boolean reportedProblems() {
        return reported > 0;
    }

    /** Called when {@code create} has returned; the kit may keep the context but not report through it. */
    void finish() {
        validating = false;
    }

    private Location locate(String key) {
        if (key == null || key.isBlank()) {
            return block.location();
        }
        try {
            return block.locate(ConfigUtil.splitPath(key));
        } catch (ConfigException.BadPath e) {
            return block.location();
        }
    }

    private void add(Location location, String message) {
        reported++;
        problems.accept(location.problem(redact(message)));
    }

    private String redact(String message) {
        String redacted = message;
        for (String secret : secretValues) {
            redacted = redacted.replace(secret, REDACTED);
        }
        return redacted;
    }

    /** The text of every scalar under the secret keys, longest first so that no part of one is left. */
    private static List<String> secretValues(ConfigObject block, Set<String> secretKeys) {
        List<String> values = new ArrayList<>();
        for (String key : secretKeys) {
            ConfigValue value;
            try {
                value = block.toConfig().hasPath(key) ? block.toConfig().getValue(key) : null;
            } catch (ConfigException e) {
                value = null;
            }
            if (value != null) {
                collectScalars(value, values);
            }
        }
        return values.stream()
                .filter(text -> !text.isEmpty())
                .distinct()
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList();
    }

    private static void collectScalars(ConfigValue value, List<String> into) {
        if (value instanceof ConfigObject object) {
            object.values().forEach(child -> collectScalars(child, into));
        } else if (value instanceof ConfigList list) {
            list.forEach(child -> collectScalars(child, into));
        } else if (value.unwrapped() != null) {
            into.add(String.valueOf(value.unwrapped()));
        }
    }
}
