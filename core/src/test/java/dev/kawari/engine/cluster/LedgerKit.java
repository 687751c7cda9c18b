package dev.kawari.engine.cluster;

import dev.kawari.spi.CheckResult;
import dev.kawari.spi.KitContext;
import dev.kawari.spi.Monitor;
import dev.kawari.spi.MonitorDefinition;
import dev.kawari.spi.MonitorType;
import dev.kawari.spi.OperationContext;
import dev.kawari.spi.RecoveryKit;
import dev.kawari.spi.Resource;
import dev.kawari.spi.ResourceDefinition;
import dev.kawari.spi.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A kit for cluster tests: resource type {@code ledger} records, in one shared ledger, which node has
 * it in service and under which epoch, and notes any moment two nodes had it at once; monitor type
 * {@code ledger-probe} is healthy unless the test made its node sick.
 */
public final class LedgerKit implements RecoveryKit {
    /** Nodes in service per service id. */
    static final Map<String, Set<String>> IN_SERVICE = new ConcurrentHashMap<>();
    /** Epochs each node restored under, per service, in order. */
    static final List<String> RESTORES = java.util.Collections.synchronizedList(new ArrayList<>());
    static final List<String> OVERLAPS = java.util.Collections.synchronizedList(new ArrayList<>());
    static final Set<String> SICK = ConcurrentHashMap.newKeySet();

    static void reset() {
        IN_SERVICE.clear();
        RESTORES.clear();
        OVERLAPS.clear();
        SICK.clear();
    }

    static Set<String> holders(String service) {
        return Set.copyOf(IN_SERVICE.getOrDefault(service, Set.of()));
    }

    @Override
    public String name() {
        return "ledger";
    }

    @Override
    public List<ResourceType> resourceTypes() {
        return List.of(new ResourceType() {
            @Override
            public String id() {
                return "ledger";
            }

            @Override
            public Resource create(ResourceDefinition definition, KitContext context) {
                return new Resource() {
                    @Override
                    public void restore(OperationContext ctx) {
                        Set<String> nodes = IN_SERVICE.computeIfAbsent(ctx.service(), s -> ConcurrentHashMap.newKeySet());
                        synchronized (nodes) {
                            if (!nodes.isEmpty() && !nodes.contains(ctx.node().name())) {
                                OVERLAPS.add(ctx.node().name() + " restored " + ctx.service() + " while " + nodes
                                        + " had it");
                            }
                            nodes.add(ctx.node().name());
                        }
                        RESTORES.add(ctx.node().name() + "@" + ctx.epoch());
                    }

                    @Override
                    public void remove(OperationContext ctx) {
                        IN_SERVICE.getOrDefault(ctx.service(), ConcurrentHashMap.newKeySet()).remove(ctx.node().name());
                    }

                    @Override
                    public CheckResult check(OperationContext ctx) {
                        return IN_SERVICE.getOrDefault(ctx.service(), Set.of()).contains(ctx.node().name())
                                ? CheckResult.healthy() : CheckResult.unhealthy("not in service here");
                    }
                };
            }
        });
    }

    @Override
    public List<MonitorType> monitorTypes() {
        return List.of(new MonitorType() {
            @Override
            public String id() {
                return "ledger-probe";
            }

            @Override
            public Monitor create(MonitorDefinition definition, KitContext context) {
                return ctx -> SICK.contains(ctx.node().name()) ? CheckResult.unhealthy("made sick by the test")
                        : CheckResult.healthy();
            }
        });
    }
}
