package dev.kawari.engine.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.kawari.engine.kit.KitRegistry;
import dev.kawari.spi.Monitor;
import dev.kawari.spi.MonitorDefinition;
import dev.kawari.spi.MonitorType;
import dev.kawari.spi.NodeIdentity;
import dev.kawari.spi.Resource;
import dev.kawari.spi.ResourceDefinition;
import dev.kawari.spi.ResourceType;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One validation of a resolved configuration: walks the {@code kawari} object, collects every
 * problem, calls each type's {@code create} for the blocks whose engine keys are sound, and either
 * returns the {@link KawariConfig} or closes what it built and throws. Used once.
 */
final class ConfigValidation {
    private static final Set<String> KAWARI_KEYS = Set.of("cluster", "nodes", "coordinator", "event-log", "services");
    private static final List<String> NODE_ATTRIBUTES = List.of("instance-id", "region", "eni", "interface");
    /** Two nodes never share one of these: each names a single piece of hardware. */
    private static final List<String> UNIQUE_NODE_ATTRIBUTES = List.of("instance-id", "eni");
    private static final Set<String> NODE_KEYS = Set.of("priority", "instance-id", "region", "eni", "interface");
    private static final Set<String> COORDINATOR_KEYS = Set.of(
            "type", "lease-duration", "safety-margin", "renew-interval", "poll-interval", "takeover-margin");
    private static final Set<String> SERVICE_KEYS = Set.of("resources", "monitors", "switchback", "switchback-after",
            "failover-cool-down", "max-failovers", "failover-window", "priorities");
    private static final Set<String> RESOURCE_ENGINE_KEYS = Set.of("type", "depends-on");
    private static final Set<String> MONITOR_ENGINE_KEYS = Set.of(
            "type", "target", "interval", "timeout", "failure-threshold", "max-local-recoveries", "recovery-window");
    /** Names appear in CLI arguments ({@code SERVICE/RESOURCE}), events and lease keys. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern BARE_NUMBER = Pattern.compile("\\s*[-+]?[0-9]*\\.?[0-9]+\\s*");
    private static final String DURATION_EXAMPLES = "use a HOCON duration such as 10s, 500ms or 2m";

    private final KitRegistry registry;
    private final SourceMap sources;
    private final List<ConfigProblem> problems = new ArrayList<>();
    private final List<AutoCloseable> instances = new ArrayList<>();
    private String cluster = "";
    private Map<String, NodeIdentity> nodeIdentities = Map.of();
    private final Map<String, Config> sections = new LinkedHashMap<>();

    ConfigValidation(KitRegistry registry, SourceMap sources) {
        this.registry = registry;
        this.sources = sources;
    }

    /** Validates {@code root}; throws {@link InvalidConfigException} listing every problem. */
    KawariConfig validate(Config root) {
        KawariConfig config;
        try {
            config = read(root.root());
        } catch (RuntimeException | Error e) {
            closeInstances(e);
            throw e;
        }
        if (problems.isEmpty()) {
            return config;
        }
        InvalidConfigException invalid = new InvalidConfigException(problems);
        closeInstances(invalid);
        throw invalid;
    }

    private KawariConfig read(ConfigObject root) {
        ConfigValue kawariValue = root.get("kawari");
        if (kawariValue == null) {
            Set<String> topLevel = root.keySet();
            problem(sources.locate(List.of(), root),
                    "missing required key 'kawari'" + ClosestName.didYouMean("kawari", topLevel));
            return null;
        }
        if (!(kawariValue instanceof ConfigObject kawariObject)) {
            problem(sources.locate(List.of("kawari"), kawariValue),
                    "expected an object for 'kawari', got " + kind(kawariValue));
            return null;
        }
        Block kawari = new Block("kawari", List.of("kawari"), kawariObject,
                sources.locate(List.of("kawari"), kawariObject), sources);
        Map<String, Config> declaredSections = registry.sectionReferences();
        Set<String> kawariKeys = new java.util.TreeSet<>(KAWARI_KEYS);
        kawariKeys.addAll(declaredSections.keySet());
        rejectUnknownKeys(kawari, KeySchema.flat(kawariKeys));
        declaredSections.forEach((name, reference) -> sections.put(name, section(kawari, name, reference)));
        required(kawari, "cluster").flatMap(value -> string(kawari, "cluster", value)).ifPresent(name -> {
            if (name.isBlank()) {
                problem(kawari.locate("cluster"), "'cluster' must not be empty");
            }
            cluster = name;
        });
        List<NodeSpec> nodes = nodes(kawari);
        Map<String, NodeIdentity> identities = new LinkedHashMap<>();
        nodes.forEach(node -> identities.put(node.name(), node.identity()));
        nodeIdentities = Collections.unmodifiableMap(identities);
        Optional<CoordinatorSpec> coordinator = coordinator(kawari);
        Optional<Path> eventLog = eventLog(kawari);
        List<ServiceSpec> services = services(kawari);
        return problems.isEmpty()
                ? new KawariConfig(sources.source(), cluster, nodes, services, eventLog, coordinator) : null;
    }

    // ---------------------------------------------------------------- nodes, coordinator, event log

    private List<NodeSpec> nodes(Block kawari) {
        Optional<Block> nodesBlock = required(kawari, "nodes").flatMap(value -> object(kawari, "nodes", value));
        if (nodesBlock.isEmpty()) {
            return List.of();
        }
        if (nodesBlock.get().object().isEmpty()) {
            problem(nodesBlock.get().location(), "'nodes' must name at least one node");
        }
        List<NodeSpec> nodes = new ArrayList<>();
        Map<String, Map<String, String>> ownerByAttributeValue = new HashMap<>();
        for (Map.Entry<String, ConfigValue> entry : nodesBlock.get().entriesInFileOrder()) {
            String name = entry.getKey();
            Optional<Block> node = entry(nodesBlock.get(), name, entry.getValue(), "node", "node '" + name + "'");
            if (node.isEmpty()) {
                continue;
            }
            Block block = node.get();
            rejectUnknownKeys(block, KeySchema.flat(NODE_KEYS));
            int priority = wholeNumber(block, "priority", NodeSpec.DEFAULT_PRIORITY, 0);
            Map<String, String> attributes = new LinkedHashMap<>();
            for (String attribute : NODE_ATTRIBUTES) {
                optional(block, attribute).flatMap(value -> string(block, attribute, value))
                        .ifPresent(text -> attributes.put(attribute, text));
            }
            for (String attribute : UNIQUE_NODE_ATTRIBUTES) {
                String value = attributes.get(attribute);
                if (value == null) {
                    continue;
                }
                String owner = ownerByAttributeValue.computeIfAbsent(attribute, a -> new HashMap<>()).putIfAbsent(value, name);
                if (owner != null) {
                    problem(block.locate(attribute), "nodes '" + owner + "' and '" + name + "' have the same "
                            + attribute + " '" + value + "'");
                }
            }
            nodes.add(new NodeSpec(new NodeIdentity(name, attributes), priority));
        }
        return nodes;
    }

    /** A kit-declared section: the user's block checked against the declaration, defaults merged in. */
    private Config section(Block kawari, String name, Config reference) {
        Optional<Block> block = optional(kawari, name).flatMap(value -> object(kawari, name, value));
        if (block.isEmpty()) {
            return reference;
        }
        rejectUnknownKeys(block.get(), KeySchema.of(Set.of(), reference.root()));
        return block.get().object().toConfig().withFallback(reference);
    }

    private Optional<CoordinatorSpec> coordinator(Block kawari) {
        Optional<Block> found = optional(kawari, "coordinator").flatMap(value -> object(kawari, "coordinator", value));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Block block = found.get();
        int before = problems.size();
        Map<String, dev.kawari.spi.cluster.CoordinatorType> types = registry.coordinatorTypes();
        Optional<dev.kawari.spi.cluster.CoordinatorType> type = required(block, "type")
                .flatMap(value -> string(block, "type", value))
                .flatMap(id -> known(block, "coordinator", id, Optional.ofNullable(types.get(id)), types.keySet()));
        if (type.isEmpty()) {
            rejectUnknownKeys(block, KeySchema.flat(COORDINATOR_KEYS));
            return Optional.empty();
        }
        Config reference = registry.coordinatorReference(type.get().id());
        rejectUnknownKeys(block, KeySchema.of(COORDINATOR_KEYS, reference.root()));
        Duration lease = positiveDuration(block, "lease-duration", CoordinatorSpec.DEFAULT_LEASE);
        Duration margin = positiveDuration(block, "safety-margin", CoordinatorSpec.DEFAULT_SAFETY_MARGIN);
        Duration renew = positiveDuration(block, "renew-interval", CoordinatorSpec.DEFAULT_RENEW);
        Duration poll = positiveDuration(block, "poll-interval", CoordinatorSpec.DEFAULT_POLL);
        Duration takeover = positiveDuration(block, "takeover-margin", CoordinatorSpec.DEFAULT_TAKEOVER_MARGIN);
        if (margin.compareTo(lease) >= 0) {
            problem(block.locate("safety-margin"), "safety-margin (" + margin + ") must be shorter than lease-duration ("
                    + lease + "): the holder fences itself after lease-duration - safety-margin without renewal");
        } else if (renew.multipliedBy(2).compareTo(lease.minus(margin)) > 0) {
            problem(block.locate("renew-interval"), "renew-interval (" + renew + ") must allow at least two renewals"
                    + " before the holder fences itself (lease-duration - safety-margin = " + lease.minus(margin) + ")");
        }
        if (problems.size() != before) {
            return Optional.empty();
        }
        Config view = withoutKeys(block.object(), COORDINATOR_KEYS).withFallback(reference);
        BlockKitContext context = kitContext(block, Set.of());
        dev.kawari.spi.cluster.Coordinator instance = null;
        try {
            instance = type.get().create(view, context);
        } catch (ConfigException e) {
            context.invalidValue(e);
        } catch (RuntimeException e) {
            context.internalError("coordinator " + type.get().id(), e);
        } finally {
            context.finish();
        }
        if (instance == null) {
            if (!context.reportedProblems()) {
                context.internalError("coordinator " + type.get().id(),
                        new IllegalStateException("create returned null without reporting a problem"));
            }
            return Optional.empty();
        }
        instances.add(instance);
        return Optional.of(new CoordinatorSpec(type.get().id(), lease, margin, renew, poll, takeover, instance,
                block.location().toString()));
    }

    private FailoverPolicy policy(String service, Block block) {
        FailoverPolicy defaults = FailoverPolicy.DEFAULT;
        FailoverPolicy.Switchback switchback = optional(block, "switchback")
                .flatMap(value -> string(block, "switchback", value))
                .flatMap(text -> {
                    for (FailoverPolicy.Switchback mode : FailoverPolicy.Switchback.values()) {
                        if (mode.name().equalsIgnoreCase(text)) {
                            return Optional.of(mode);
                        }
                    }
                    List<String> modes = List.of("intelligent", "automatic");
                    problem(block.locate("switchback"), "unknown switchback '" + text + "'"
                            + ClosestName.didYouMean(text, modes) + "; use intelligent (stay, the default) or automatic");
                    return Optional.empty();
                })
                .orElse(defaults.switchback());
        Map<String, Integer> priorities = new LinkedHashMap<>();
        optional(block, "priorities").flatMap(value -> object(block, "priorities", value)).ifPresent(table -> {
            for (Map.Entry<String, ConfigValue> entry : table.entriesInFileOrder()) {
                if (!nodeIdentities.containsKey(entry.getKey())) {
                    problem(table.locate(entry.getKey()), "unknown node '" + entry.getKey() + "' in priorities of service '"
                            + service + "'" + ClosestName.didYouMean(entry.getKey(), nodeIdentities.keySet()));
                    continue;
                }
                priorities.put(entry.getKey(), wholeNumber(table, entry.getKey(), NodeSpec.DEFAULT_PRIORITY, 0));
            }
        });
        return new FailoverPolicy(switchback,
                positiveDuration(block, "switchback-after", defaults.switchbackAfter()),
                positiveDuration(block, "failover-cool-down", defaults.coolDown()),
                wholeNumber(block, "max-failovers", defaults.maxFailovers(), 0),
                positiveDuration(block, "failover-window", defaults.failoverWindow()),
                priorities);
    }

    private Optional<Path> eventLog(Block kawari) {
        return optional(kawari, "event-log").flatMap(value -> string(kawari, "event-log", value)).flatMap(text -> {
            if (text.isBlank()) {
                problem(kawari.locate("event-log"), "'event-log' must not be empty; leave it out to keep no event log");
                return Optional.empty();
            }
            try {
                return Optional.of(Path.of(text));
            } catch (InvalidPathException e) {
                problem(kawari.locate("event-log"), "'event-log' is not a valid path: " + e.getMessage());
                return Optional.empty();
            }
        });
    }

    // ---------------------------------------------------------------- services

    private List<ServiceSpec> services(Block kawari) {
        Optional<Block> servicesBlock = required(kawari, "services").flatMap(value -> object(kawari, "services", value));
        if (servicesBlock.isEmpty()) {
            return List.of();
        }
        if (servicesBlock.get().object().isEmpty()) {
            problem(servicesBlock.get().location(), "'services' must name at least one service");
        }
        List<ServiceSpec> services = new ArrayList<>();
        for (Map.Entry<String, ConfigValue> entry : servicesBlock.get().entriesInFileOrder()) {
            String name = entry.getKey();
            entry(servicesBlock.get(), name, entry.getValue(), "service", "service '" + name + "'")
                    .map(service -> service(name, service))
                    .ifPresent(services::add);
        }
        return services;
    }

    private ServiceSpec service(String service, Block block) {
        rejectUnknownKeys(block, KeySchema.flat(SERVICE_KEYS));
        Optional<Block> resourcesBlock = required(block, "resources").flatMap(value -> object(block, "resources", value));
        resourcesBlock.filter(resources -> resources.object().isEmpty()).ifPresent(resources ->
                problem(resources.location(), "'resources' in service '" + service + "' must name at least one resource"));
        // Every id written counts as known, even one whose block is broken, so that one mistake is
        // not reported again by every resource and monitor that names it.
        Set<String> resourceIds = resourcesBlock.map(resources -> resources.object().keySet()).orElse(Set.of());

        List<ResourceSpec> resources = new ArrayList<>();
        Map<String, List<Dependency>> dependencies = new LinkedHashMap<>();
        Map<String, Block> resourceBlocks = new HashMap<>();
        resourcesBlock.ifPresent(parent -> {
            for (Map.Entry<String, ConfigValue> entry : parent.entriesInFileOrder()) {
                String id = entry.getKey();
                entry(parent, id, entry.getValue(), "resource", "resource '" + id + "'").ifPresent(resource -> {
                    resourceBlocks.put(id, resource);
                    resource(service, id, resource, dependencies).ifPresent(resources::add);
                });
            }
        });
        checkDependencies(service, resourceIds, dependencies, resourceBlocks);

        List<MonitorSpec> monitors = new ArrayList<>();
        Map<String, Resource> built = new HashMap<>();
        resources.forEach(resource -> built.put(resource.id(), resource.instance()));
        optional(block, "monitors").flatMap(value -> object(block, "monitors", value)).ifPresent(parent -> {
            for (Map.Entry<String, ConfigValue> entry : parent.entriesInFileOrder()) {
                String id = entry.getKey();
                entry(parent, id, entry.getValue(), "monitor", "monitor '" + id + "'")
                        .flatMap(monitor -> monitor(service, id, monitor, resourceIds, built))
                        .ifPresent(monitors::add);
            }
        });
        return new ServiceSpec(service, resources, monitors, policy(service, block));
    }

    /** One entry of a resource's {@code depends-on}, with where it was written. */
    private record Dependency(String id, Location location) {
    }

    private Optional<ResourceSpec> resource(
            String service, String id, Block block, Map<String, List<Dependency>> dependenciesById) {
        int before = problems.size();
        Optional<ResourceType> type = required(block, "type").flatMap(value -> string(block, "type", value))
                .flatMap(typeId -> known(block, "resource", typeId, registry.resourceType(typeId),
                        registry.resourceTypes().keySet()));
        Optional<List<Dependency>> dependencies = dependsOn(block, id);
        dependencies.ifPresent(list -> dependenciesById.put(id, list));
        boolean engineKeysSound = problems.size() == before;
        if (type.isEmpty()) {
            return Optional.empty(); // without the type, which keys are allowed is unknown
        }
        String typeId = type.get().id();
        Config reference = registry.resourceReference(typeId);
        rejectUnknownKeys(block, KeySchema.of(RESOURCE_ENGINE_KEYS, reference.root()));
        if (!engineKeysSound || dependencies.isEmpty()) {
            return Optional.empty();
        }
        Config kitView = withoutKeys(block.object(), RESOURCE_ENGINE_KEYS).withFallback(reference);
        BlockKitContext context = kitContext(block, type.get().secretKeys());
        Resource instance = null;
        try {
            instance = type.get().create(new ResourceDefinition(service, id, typeId, kitView), context);
        } catch (ConfigException e) {
            context.invalidValue(e);
        } catch (RuntimeException e) {
            context.internalError(registry.kitOfResourceType(typeId), e);
        } finally {
            context.finish();
        }
        if (instance == null) {
            if (!context.reportedProblems()) {
                context.internalError(registry.kitOfResourceType(typeId),
                        new IllegalStateException("create returned null without reporting a problem"));
            }
            return Optional.empty();
        }
        instances.add(instance);
        List<String> dependsOn = dependencies.get().stream().map(Dependency::id).toList();
        return Optional.of(new ResourceSpec(id, typeId, dependsOn, instance, block.location().toString(), kitView));
    }

    /** {@code depends-on}: a list of resource ids, or one id; empty when the value is malformed. */
    private Optional<List<Dependency>> dependsOn(Block block, String id) {
        Optional<ConfigValue> value = optional(block, "depends-on");
        if (value.isEmpty()) {
            return Optional.of(List.of());
        }
        List<ConfigValue> elements;
        if (value.get() instanceof ConfigList list) {
            elements = list;
        } else if (isScalar(value.get())) {
            elements = List.of(value.get());
        } else {
            expected(block, "depends-on", value.get(), "a resource id or a list of resource ids");
            return Optional.empty();
        }
        List<Dependency> dependencies = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        boolean sound = true;
        for (ConfigValue element : elements) {
            Location location = sources.locate(append(block.path(), "depends-on"), element);
            if (!isScalar(element)) {
                problem(location, "expected a resource id in 'depends-on' of " + block.label() + ", got " + kind(element));
                sound = false;
            } else {
                String dependency = String.valueOf(element.unwrapped());
                if (!seen.add(dependency)) {
                    problem(location, block.label() + " lists '" + dependency + "' more than once in 'depends-on'");
                    sound = false;
                }
                dependencies.add(new Dependency(dependency, location));
            }
        }
        return sound ? Optional.of(dependencies) : Optional.empty();
    }

    private void checkDependencies(String service, Set<String> resourceIds,
            Map<String, List<Dependency>> dependencies, Map<String, Block> resourceBlocks) {
        Map<String, List<String>> graph = new LinkedHashMap<>();
        dependencies.forEach((id, list) -> {
            for (Dependency dependency : list) {
                if (!resourceIds.contains(dependency.id())) {
                    problem(dependency.location(), "resource '" + id + "' depends on unknown resource '"
                            + dependency.id() + "' in service '" + service + "'"
                            + ClosestName.didYouMean(dependency.id(), resourceIds));
                }
            }
            graph.put(id, list.stream().map(Dependency::id).toList());
        });
        for (List<String> cycle : DependencyCycles.in(graph)) {
            String first = cycle.get(0);
            problem(resourceBlocks.get(first).locate("depends-on"), "dependency cycle in service '" + service + "': "
                    + String.join(" -> ", cycle) + " -> " + first);
        }
    }

    private Optional<MonitorSpec> monitor(String service, String id, Block block, Set<String> resourceIds,
            Map<String, Resource> builtResources) {
        int before = problems.size();
        Optional<MonitorType> type = required(block, "type").flatMap(value -> string(block, "type", value))
                .flatMap(typeId -> known(block, "monitor", typeId, registry.monitorType(typeId),
                        registry.monitorTypes().keySet()));
        Optional<String> target = required(block, "target").flatMap(value -> string(block, "target", value));
        Duration interval = positiveDuration(block, "interval", MonitorSpec.DEFAULT_INTERVAL);
        Duration timeout = positiveDuration(block, "timeout", MonitorSpec.DEFAULT_TIMEOUT);
        int failureThreshold = wholeNumber(block, "failure-threshold", MonitorSpec.DEFAULT_FAILURE_THRESHOLD, 1);
        int maxLocalRecoveries = wholeNumber(block, "max-local-recoveries", MonitorSpec.DEFAULT_MAX_LOCAL_RECOVERIES, 0);
        Duration recoveryWindow = positiveDuration(block, "recovery-window", MonitorSpec.DEFAULT_RECOVERY_WINDOW);
        boolean engineKeysSound = problems.size() == before;
        target.filter(resource -> !resourceIds.contains(resource)).ifPresent(resource ->
                problem(block.locate("target"), "monitor '" + id + "' targets unknown resource '" + resource
                        + "' in service '" + service + "'" + ClosestName.didYouMean(resource, resourceIds)));
        if (type.isEmpty()) {
            return Optional.empty();
        }
        String typeId = type.get().id();
        Config reference = registry.monitorReference(typeId);
        rejectUnknownKeys(block, KeySchema.of(MONITOR_ENGINE_KEYS, reference.root()));
        if (!engineKeysSound) {
            return Optional.empty();
        }
        Config kitView = withoutKeys(block.object(), MONITOR_ENGINE_KEYS).withFallback(reference);
        BlockKitContext context = new BlockKitContext(cluster, nodeIdentities, Collections.unmodifiableMap(sections),
                builtResources, block, type.get().secretKeys(), problems::add);
        Monitor instance = null;
        try {
            instance = type.get().create(new MonitorDefinition(service, id, typeId, target.get(), kitView), context);
        } catch (ConfigException e) {
            context.invalidValue(e);
        } catch (RuntimeException e) {
            context.internalError(registry.kitOfMonitorType(typeId), e);
        } finally {
            context.finish();
        }
        if (instance == null) {
            if (!context.reportedProblems()) {
                context.internalError(registry.kitOfMonitorType(typeId),
                        new IllegalStateException("create returned null without reporting a problem"));
            }
            return Optional.empty();
        }
        instances.add(instance);
        return Optional.of(new MonitorSpec(id, typeId, target.get(), interval, timeout, failureThreshold,
                maxLocalRecoveries, recoveryWindow, instance, block.location().toString(), kitView));
    }

    private BlockKitContext kitContext(Block block, Set<String> secretKeys) {
        return new BlockKitContext(cluster, nodeIdentities, Collections.unmodifiableMap(sections), block, secretKeys,
                problems::add);
    }

    private static Config withoutKeys(ConfigObject block, Set<String> keys) {
        ConfigObject remaining = block;
        for (String key : keys) {
            remaining = remaining.withoutKey(key);
        }
        return remaining.toConfig();
    }

    private <T> Optional<T> known(Block block, String kind, String typeId, Optional<T> type, Collection<String> known) {
        if (type.isEmpty()) {
            problem(block.locate("type"), "unknown " + kind + " type '" + typeId + "'"
                    + ClosestName.didYouMean(typeId, known) + "; "
                    + (known.isEmpty() ? "no kit on the class path provides " + kind + " types" : knownTypes(known)));
        }
        return type;
    }

    private static String knownTypes(Collection<String> known) {
        return "known types: " + String.join(", ", known.stream().sorted().toList());
    }

    // ---------------------------------------------------------------- values

    private void rejectUnknownKeys(Block block, KeySchema schema) {
        for (KeySchema.UnknownKey unknown : schema.unknownKeys(block.object())) {
            problem(sources.locate(append(block.path(), unknown.keys()), unknown.value()),
                    "unknown key '" + unknown.path() + "' in " + block.label() + unknown.didYouMean());
        }
    }

    /** A key that must be present; a HOCON {@code null} counts as present, so that its type is reported. */
    private Optional<ConfigValue> required(Block block, String key) {
        ConfigValue value = block.get(key);
        if (value == null) {
            problem(block.location(), "missing required key '" + key + "' in " + block.label());
        }
        return Optional.ofNullable(value);
    }

    /** An optional key; {@code null} means "not set", which is how HOCON clears an inherited value. */
    private static Optional<ConfigValue> optional(Block block, String key) {
        ConfigValue value = block.get(key);
        return value == null || value.valueType() == ConfigValueType.NULL ? Optional.empty() : Optional.of(value);
    }

    /** Any scalar reads as a string, as Typesafe's {@code getString} does: {@code cluster = 2024} is fine. */
    private Optional<String> string(Block block, String key, ConfigValue value) {
        if (!isScalar(value)) {
            expected(block, key, value, "a string");
            return Optional.empty();
        }
        return Optional.of(String.valueOf(value.unwrapped()));
    }

    private Optional<Block> object(Block block, String key, ConfigValue value) {
        if (value instanceof ConfigObject object) {
            return Optional.of(block.child(key, key, object));
        }
        expected(block, key, value, "an object");
        return Optional.empty();
    }

    /** An entry of a collection of named blocks ({@code nodes}, {@code services}, …). */
    private Optional<Block> entry(Block parent, String name, ConfigValue value, String kind, String label) {
        Location location = sources.locate(append(parent.path(), name), value);
        if (name.isEmpty()) {
            problem(location, kind + " name must not be empty");
        } else if (!NAME.matcher(name).matches()) {
            problem(location, kind + " name '" + name
                    + "' must start with a letter or digit and contain only letters, digits, '.', '_' and '-'");
        }
        if (value instanceof ConfigObject object) {
            return Optional.of(parent.child(name, label, object));
        }
        problem(location, "expected an object for " + label + ", got " + kind(value));
        return Optional.empty();
    }

    /** A whole number of at least {@code minimum}; {@code fallback} when absent or invalid. */
    private int wholeNumber(Block block, String key, int fallback, int minimum) {
        Optional<ConfigValue> value = optional(block, key);
        if (value.isEmpty()) {
            return fallback;
        }
        Object unwrapped = value.get().unwrapped();
        Integer number = null;
        if (unwrapped instanceof Integer integer) {
            number = integer;
        } else if (unwrapped instanceof String text) {
            try {
                number = Integer.valueOf(text.trim());
            } catch (NumberFormatException e) {
                number = null;
            }
        }
        if (number == null) {
            String got = value.get().valueType() == ConfigValueType.STRING || value.get().valueType() == ConfigValueType.NUMBER
                    ? "'" + unwrapped + "'"
                    : kind(value.get());
            problem(block.locate(key), "expected a whole number for '" + key + "' in " + block.label() + ", got " + got);
            return fallback;
        }
        if (number < minimum) {
            problem(block.locate(key), key + " must be at least " + minimum + ", got " + number);
            return fallback;
        }
        return number;
    }

    /** A duration above zero, written with a unit; {@code fallback} when absent or invalid. */
    private Duration positiveDuration(Block block, String key, Duration fallback) {
        Optional<ConfigValue> value = optional(block, key);
        if (value.isEmpty()) {
            return fallback;
        }
        if (!isScalar(value.get()) || value.get().valueType() == ConfigValueType.BOOLEAN) {
            expected(block, key, value.get(), "a duration such as 10s");
            return fallback;
        }
        String text = String.valueOf(value.get().unwrapped());
        // HOCON reads a bare number as milliseconds: "interval = 10" would check a hundred times a second.
        if (BARE_NUMBER.matcher(text).matches()) {
            problem(block.locate(key), "duration '" + text + "' for '" + key + "' has no unit (it would mean "
                    + "milliseconds): " + DURATION_EXAMPLES);
            return fallback;
        }
        Duration duration;
        try {
            duration = ConfigFactory.empty().withValue("duration", value.get()).getDuration("duration");
        } catch (ConfigException.BadValue e) {
            problem(block.locate(key), "malformed duration '" + text + "' for '" + key + "': " + DURATION_EXAMPLES);
            return fallback;
        }
        if (duration.isNegative() || duration.isZero()) {
            problem(block.locate(key), key + " must be greater than 0, got " + text);
            return fallback;
        }
        return duration;
    }

    private void expected(Block block, String key, ConfigValue value, String what) {
        problem(block.locate(key), "expected " + what + " for '" + key + "' in " + block.label() + ", got " + kind(value));
    }

    private static boolean isScalar(ConfigValue value) {
        return switch (value.valueType()) {
            case STRING, NUMBER, BOOLEAN -> true;
            case OBJECT, LIST, NULL -> false;
        };
    }

    private static String kind(ConfigValue value) {
        return switch (value.valueType()) {
            case OBJECT -> "an object";
            case LIST -> "a list";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case STRING -> "a string";
        };
    }

    private static List<String> append(List<String> path, String key) {
        return append(path, List.of(key));
    }

    private static List<String> append(List<String> path, List<String> keys) {
        List<String> joined = new ArrayList<>(path);
        joined.addAll(keys);
        return joined;
    }

    private void problem(Location location, String message) {
        problems.add(location.problem(message));
    }

    private void closeInstances(Throwable failure) {
        for (AutoCloseable instance : instances) {
            try {
                instance.close();
            } catch (Exception e) {
                failure.addSuppressed(e);
            }
        }
        instances.clear();
    }
}
