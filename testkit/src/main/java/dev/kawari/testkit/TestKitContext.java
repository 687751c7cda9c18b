package dev.kawari.testkit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.kawari.spi.KitContext;
import dev.kawari.spi.NodeIdentity;
import dev.kawari.spi.Resource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link KitContext} that records the problems a type's {@code create} reports, so a test can
 * assert on them:
 *
 * <pre>{@code
 * TestKitContext context = new TestKitContext();
 * new ExecResourceType().create(KitConfigs.resource("exec", "stop = [true]"), context);
 * assertThat(context.problemKeys()).containsExactly("start");
 * }</pre>
 *
 * <p>By default the cluster is {@code test-cluster} with nodes {@code node-a} and {@code node-b},
 * without attributes, no section is declared, and the service has no resources (a monitor type's
 * {@code create} finds its target only after {@link #withResource}). Thread-safe.
 */
public final class TestKitContext implements KitContext {

    /**
     * One problem reported by a kit.
     *
     * @param key the key as the kit gave it; empty when the kit pointed at the whole block
     * @param message the message as the kit gave it
     */
    public record Problem(String key, String message) {
        public Problem {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public String toString() {
            return (key.isEmpty() ? "<block>" : key) + ": " + message;
        }
    }

    private final String cluster;
    private final Map<String, NodeIdentity> nodes;
    private final Map<String, Config> sections = new LinkedHashMap<>();
    private final Map<String, Resource> resources = new LinkedHashMap<>();
    private final List<Problem> problems = new ArrayList<>();

    public TestKitContext() {
        this("test-cluster", defaultNodes());
    }

    /** @param nodes by name; copied, keeping their order (the engine gives them in file order) */
    public TestKitContext(String cluster, Map<String, NodeIdentity> nodes) {
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.nodes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(nodes));
    }

    private static Map<String, NodeIdentity> defaultNodes() {
        Map<String, NodeIdentity> nodes = new LinkedHashMap<>();
        nodes.put("node-a", NodeIdentity.named("node-a"));
        nodes.put("node-b", NodeIdentity.named("node-b"));
        return nodes;
    }

    /** Makes {@link #section(String)} return {@code section} for {@code name}; returns this context. */
    public synchronized TestKitContext withSection(String name, Config section) {
        sections.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(section, "section"));
        return this;
    }

    /** Makes {@link #resource(String)} return {@code resource} for {@code id} (a monitor's target); returns this context. */
    public synchronized TestKitContext withResource(String id, Resource resource) {
        resources.put(Objects.requireNonNull(id, "id"), Objects.requireNonNull(resource, "resource"));
        return this;
    }

    @Override
    public synchronized Optional<Resource> resource(String id) {
        return Optional.ofNullable(resources.get(id));
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
    public synchronized Config section(String name) {
        return sections.getOrDefault(name, ConfigFactory.empty());
    }

    /** Records the problem; a null or blank key means the whole block, as for the engine. */
    @Override
    public synchronized void problem(String key, String message) {
        Objects.requireNonNull(message, "message");
        problems.add(new Problem(key == null || key.isBlank() ? "" : key, message));
    }

    /** Every problem reported so far, in order. */
    public synchronized List<Problem> problems() {
        return List.copyOf(problems);
    }

    /** The keys of {@link #problems()}, in order, with repetitions. */
    public synchronized List<String> problemKeys() {
        return problems.stream().map(Problem::key).toList();
    }

    /** The problems reported on {@code key}. */
    public synchronized List<Problem> problemsOn(String key) {
        return problems.stream().filter(problem -> problem.key().equals(key)).toList();
    }

    public synchronized boolean hasProblems() {
        return !problems.isEmpty();
    }

    @Override
    public synchronized String toString() {
        return "TestKitContext" + problems;
    }
}
