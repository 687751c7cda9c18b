package dev.kawari.engine.config;

import com.typesafe.config.Config;
import dev.kawari.spi.CheckResult;
import dev.kawari.spi.KitContext;
import dev.kawari.spi.Monitor;
import dev.kawari.spi.MonitorDefinition;
import dev.kawari.spi.MonitorType;
import dev.kawari.spi.NodeIdentity;
import dev.kawari.spi.OperationContext;
import dev.kawari.spi.RecoveryKit;
import dev.kawari.spi.Resource;
import dev.kawari.spi.ResourceDefinition;
import dev.kawari.spi.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A kit for configuration tests: resource types {@code fake} (keys declared in
 * {@code config/fake-kit/reference.conf}; {@code password} is secret) and {@code fake-vip} (no
 * declared keys), and monitor type {@code fake-probe} ({@code token} is secret). It records what the
 * engine handed it and the instances it built; what {@code fake}'s {@code create} checks can be
 * replaced per test.
 */
final class FakeKit implements RecoveryKit {

    /** What a type's {@code create} does with its block before building the instance. */
    interface Validation {
        void validate(Config config, KitContext context);
    }

    final List<ResourceDefinition> resourceDefinitions = new ArrayList<>();
    final List<MonitorDefinition> monitorDefinitions = new ArrayList<>();
    final List<FakeResource> resources = new ArrayList<>();
    final List<FakeProbe> probes = new ArrayList<>();
    String clusterSeen;
    Map<String, NodeIdentity> nodesSeen;
    private Validation resourceValidation = FakeKit::requireCommand;
    private Validation probeValidation = (config, context) -> { };

    FakeKit validatingResourcesWith(Validation validation) {
        this.resourceValidation = validation;
        return this;
    }

    FakeKit validatingProbesWith(Validation validation) {
        this.probeValidation = validation;
        return this;
    }

    /** What a real kit would do: a required key, and a typed getter that throws on a bad value. */
    static void requireCommand(Config config, KitContext context) {
        if (!config.hasPath("command")) {
            context.problem("command", "missing required key 'command'");
        }
        config.getDuration("timeouts.start");
    }

    @Override
    public String name() {
        return "fake-kit";
    }

    @Override
    public List<ResourceType> resourceTypes() {
        return List.of(new FakeType("fake", Set.of("password")), new FakeType("fake-vip", Set.of()));
    }

    @Override
    public List<MonitorType> monitorTypes() {
        return List.of(new MonitorType() {
            @Override
            public String id() {
                return "fake-probe";
            }

            @Override
            public Monitor create(MonitorDefinition definition, KitContext context) {
                monitorDefinitions.add(definition);
                probeValidation.validate(definition.config(), context);
                FakeProbe probe = new FakeProbe(definition.id());
                probes.add(probe);
                return probe;
            }

            @Override
            public Set<String> secretKeys() {
                return Set.of("token");
            }
        });
    }

    private final class FakeType implements ResourceType {
        private final String id;
        private final Set<String> secretKeys;

        FakeType(String id, Set<String> secretKeys) {
            this.id = id;
            this.secretKeys = secretKeys;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public Resource create(ResourceDefinition definition, KitContext context) {
            resourceDefinitions.add(definition);
            clusterSeen = context.cluster();
            nodesSeen = context.nodes();
            if (id.equals("fake")) {
                resourceValidation.validate(definition.config(), context);
            }
            FakeResource resource = new FakeResource(definition.id());
            resources.add(resource);
            return resource;
        }

        @Override
        public Set<String> secretKeys() {
            return secretKeys;
        }
    }

    static final class FakeResource implements Resource {
        final String id;
        boolean closed;

        FakeResource(String id) {
            this.id = id;
        }

        @Override
        public void restore(OperationContext context) {
        }

        @Override
        public void remove(OperationContext context) {
        }

        @Override
        public CheckResult check(OperationContext context) {
            return CheckResult.healthy();
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    static final class FakeProbe implements Monitor {
        final String id;
        boolean closed;

        FakeProbe(String id) {
            this.id = id;
        }

        @Override
        public CheckResult check(OperationContext context) {
            return CheckResult.healthy();
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
