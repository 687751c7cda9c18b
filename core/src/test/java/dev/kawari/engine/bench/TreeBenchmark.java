package dev.kawari.engine.bench;

import dev.kawari.engine.Engine;
import dev.kawari.engine.LocalNode;
import dev.kawari.engine.config.ConfigLoader;
import dev.kawari.engine.config.KawariConfig;
import dev.kawari.engine.config.NodeSpec;
import dev.kawari.engine.config.ResourceSpec;
import dev.kawari.engine.config.ServiceSpec;
import dev.kawari.engine.event.EventBus;
import dev.kawari.engine.event.JsonLinesEventLog;
import dev.kawari.engine.kit.KitRegistry;
import dev.kawari.engine.tree.TreeOutcome;
import dev.kawari.spi.CheckResult;
import dev.kawari.spi.NodeIdentity;
import dev.kawari.spi.OperationContext;
import dev.kawari.spi.Resource;
import dev.kawari.spi.Sleeper;
import dev.kawari.spi.TimeSource;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Restores and removes generated trees of 1,000 resources (10 services of 100 resources, each
 * resource depending on 1-3 resources of the level below), every action sleeping 10 ms through the
 * sleeper, with events going to a JSON-lines log as in production. Two shapes: wide (8 levels, up
 * to 200 actions at once) and deep (20 levels of 5). Prints the wall time against the critical
 * path (levels x 10 ms, since services and branches run in parallel), the engine's overhead per
 * action (a chain of 1,000 actions that do nothing, so nothing overlaps), and the peak heap.
 *
 * <p>Run: {@code ./mvnw -q -pl core test-compile exec:java@tree-benchmark}
 */
public final class TreeBenchmark {
    private static final int SERVICES = 10;
    /** Resources per level of one service, bottom first: wide (up to 200 actions at once) and deep. */
    private static final Map<String, int[]> SHAPES = Map.of(
            "wide", new int[] {4, 8, 12, 16, 20, 16, 14, 10},
            "deep", new int[] {5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5});
    private static final Duration ACTION = Duration.ofMillis(10);
    private static final int WARMUP = 5;
    private static final int RUNS = 20;

    private TreeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path events = Files.createTempFile("kawari-bench-", ".jsonl");
        EventBus bus = new EventBus();
        try (JsonLinesEventLog log = new JsonLinesEventLog(events)) {
            bus.subscribe(log);
            Engine engine = new Engine(KitRegistry.of(List.of(), TreeBenchmark.class.getClassLoader()),
                    new ConfigLoader(KitRegistry.of(List.of(), TreeBenchmark.class.getClassLoader())),
                    TimeSource.system(), Sleeper.system(), bus);

            System.out.printf("Kawari engine benchmark: 1,000 resources in %d services, %d ms per action (through the"
                    + " sleeper), %d runs after %d warm-up, %d cores, events to a JSON-lines log%n%n", SERVICES,
                    ACTION.toMillis(), RUNS, WARMUP, Runtime.getRuntime().availableProcessors());
            System.out.println("| measure | median | p95 | max | target | met |");
            System.out.println("|---|---|---|---|---|---|");
            resetPeaks();
            for (String shape : List.of("wide", "deep")) {
                int[] levels = SHAPES.get(shape);
                KawariConfig tree = config(generatedTree(new Random(42), levels, ACTION));
                Duration criticalPath = ACTION.multipliedBy(levels.length);
                long[] restore = new long[RUNS];
                long[] remove = new long[RUNS];
                try (LocalNode node = engine.startNode(tree, "bench")) {
                    for (int run = -WARMUP; run < RUNS; run++) {
                        long restoreNanos = timed(() -> node.restoreAll());
                        long removeNanos = timed(() -> node.removeAll());
                        if (run >= 0) {
                            restore[run] = restoreNanos;
                            remove[run] = removeNanos;
                        }
                    }
                }
                String label = shape + " (" + levels.length + " levels, up to " + SERVICES * Arrays.stream(levels).max().orElse(0)
                        + " actions at once; critical path " + criticalPath.toMillis() + " ms)";
                row("restore wall / critical path, " + label, restore, criticalPath, 1.2);
                row("remove wall / critical path, " + label, remove, criticalPath, 1.2);
            }
            long peakHeap = peakHeapBytes();

            KawariConfig chain = config(List.of(chain(1000)));
            long[] chainRestore = new long[RUNS];
            try (LocalNode node = engine.startNode(chain, "bench")) {
                for (int run = -WARMUP; run < RUNS; run++) {
                    long nanos = timed(() -> node.restoreAll());
                    node.removeAll();
                    if (run >= 0) {
                        chainRestore[run] = nanos;
                    }
                }
            }

            double overheadMs = median(chainRestore) / 1000 / 1e6;
            System.out.printf("| engine overhead per action (chain of 1,000 no-op restores) | %.3f ms | %.3f ms | %.3f ms"
                    + " | < 1 ms | %s |%n", overheadMs, percentile(chainRestore, 0.95) / 1000 / 1e6,
                    max(chainRestore) / 1000 / 1e6, overheadMs < 1.0 ? "yes" : "NO");
            System.out.printf("| peak heap (all pools, whole tree benchmark) | %.1f MiB | | | (reported) | |%n",
                    peakHeap / 1024.0 / 1024.0);
        } finally {
            Files.deleteIfExists(events);
        }
        System.exit(0);
    }

    private static void row(String name, long[] nanos, Duration criticalPath, double target) {
        double median = median(nanos) / (double) criticalPath.toNanos();
        System.out.printf("| %s | %.2fx (%.1f ms) | %.2fx | %.2fx | <= %.1fx | %s |%n", name, median, median(nanos) / 1e6,
                percentile(nanos, 0.95) / criticalPath.toNanos(), max(nanos) / (double) criticalPath.toNanos(), target,
                median <= target ? "yes" : "NO");
    }

    private static long timed(Supplier<Map<String, TreeOutcome>> walk) {
        long start = System.nanoTime();
        Map<String, TreeOutcome> outcomes = walk.get();
        long took = System.nanoTime() - start;
        outcomes.forEach((service, outcome) -> {
            if (!outcome.ok()) {
                throw new IllegalStateException(service + " failed: " + outcome.failures());
            }
        });
        return took;
    }

    private static List<ServiceSpec> generatedTree(Random random, int[] levelWidths, Duration action) {
        List<ServiceSpec> services = new ArrayList<>();
        for (int s = 0; s < SERVICES; s++) {
            List<ResourceSpec> resources = new ArrayList<>();
            List<String> below = List.of();
            for (int level = 0; level < levelWidths.length; level++) {
                List<String> here = new ArrayList<>();
                for (int i = 0; i < levelWidths[level]; i++) {
                    String id = "r" + level + "-" + i;
                    List<String> dependsOn = new ArrayList<>();
                    if (!below.isEmpty()) {
                        int fanIn = 1 + random.nextInt(Math.min(3, below.size()));
                        while (dependsOn.size() < fanIn) {
                            String pick = below.get(random.nextInt(below.size()));
                            if (!dependsOn.contains(pick)) {
                                dependsOn.add(pick);
                            }
                        }
                    }
                    resources.add(new ResourceSpec(id, "bench", dependsOn, new SleepingResource(action), "bench"));
                    here.add(id);
                }
                below = here;
            }
            services.add(new ServiceSpec("service-" + s, resources, List.of()));
        }
        return services;
    }

    private static ServiceSpec chain(int length) {
        List<ResourceSpec> resources = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            resources.add(new ResourceSpec("c" + i, "bench", i == 0 ? List.of() : List.of("c" + (i - 1)),
                    new SleepingResource(Duration.ZERO), "bench"));
        }
        return new ServiceSpec("chain", resources, List.of());
    }

    private static KawariConfig config(List<ServiceSpec> services) {
        return new KawariConfig("benchmark", "bench", List.of(new NodeSpec(NodeIdentity.named("bench"), 1)), services,
                Optional.empty());
    }

    private static void resetPeaks() {
        System.gc();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    private static long peakHeapBytes() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP)
                .mapToLong(pool -> pool.getPeakUsage().getUsed())
                .sum();
    }

    private static double median(long[] values) {
        return percentile(values, 0.5);
    }

    private static double percentile(long[] values, double p) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
    }

    private static double max(long[] values) {
        return Arrays.stream(values).max().orElse(0);
    }

    /** Sleeps through the context's sleeper on every action, as a kit waiting on the outside world would. */
    private record SleepingResource(Duration action) implements Resource {
        @Override
        public void restore(OperationContext context) throws InterruptedException {
            context.sleeper().sleep(action);
        }

        @Override
        public void remove(OperationContext context) throws InterruptedException {
            context.sleeper().sleep(action);
        }

        @Override
        public CheckResult check(OperationContext context) {
            return CheckResult.healthy();
        }
    }
}
