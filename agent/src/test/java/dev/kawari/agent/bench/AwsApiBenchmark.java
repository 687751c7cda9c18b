package dev.kawari.agent.bench;

import com.google.inject.Guice;
import dev.kawari.aws.ApiCallCounter;
import dev.kawari.aws.ApiCallCounts;
import dev.kawari.engine.Engine;
import dev.kawari.engine.EngineModule;
import dev.kawari.engine.LocalNode;
import dev.kawari.engine.ServiceRuntime;
import dev.kawari.aws.HostCommands;
import dev.kawari.aws.InstanceMetadata;
import dev.kawari.engine.config.ConfigLoader;
import dev.kawari.engine.config.KawariConfig;
import dev.kawari.engine.event.Event;
import dev.kawari.engine.event.EventBus;
import dev.kawari.engine.event.EventKind;
import dev.kawari.engine.kit.KitRegistry;
import dev.kawari.engine.monitor.MonitorRunner;
import dev.kawari.kit.eni.EniKit;
import dev.kawari.kit.eni.EniResourceType;
import dev.kawari.spi.CheckResult;
import dev.kawari.spi.Sleeper;
import dev.kawari.spi.TimeSource;
import dev.kawari.testkit.aws.AwsEndpoint;
import dev.kawari.testkit.aws.AwsEndpointExtension;
import dev.kawari.testkit.aws.Ec2Topology;
import dev.kawari.testkit.aws.NetworkNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.route53.Route53Client;

/**
 * The API cost and restore latency of the AWS kits against the emulator, wired as the agent wires
 * them (kits from the class path, the real engine and its monitor threads):
 *
 * <ol>
 *   <li>AWS calls per monitor tick for 1, 10 and 100 route-table virtual IPs over 3 route tables, for
 *       1, 10 and 100 Elastic IPs, for 1, 10 and 100 secondary private IPs, for 1, 5 and 15 dedicated
 *       ENIs (15 is about what large instance types can attach), and for 1, 10 and 100 Route 53 records
 *       of one hosted zone, on one node: every monitor checked at the same moment, ten ticks, one
 *       freshness window apart. Target: one {@code DescribeRouteTables} (one VPC), one {@code
 *       DescribeAddresses}, one {@code DescribeNetworkInterfaces} of the node's interface, one {@code
 *       DescribeNetworkInterfaces} of the ENIs and one {@code ListResourceRecordSets} (one zone) per
 *       tick, whatever the number of addresses, ENIs or records.
 *   <li>The same with the engine's own schedule: monitors every second for a few seconds.
 *   <li>Restore latency per resource: one resource at a time, alternating nodes so that each restore
 *       really moves the address, at least 20 restores; and the wall time of restoring all N at once
 *       (the engine restores independent resources in parallel).
 * </ol>
 *
 * The ENIs' operating-system side (the interface found by its MAC address, brought up with {@code
 * ip}) runs inside a network namespace this benchmark creates, shared by both nodes of the process,
 * with one link per ENI standing for its hot-plugged interface; secondary IPs are measured without
 * the local address, like the route-table virtual IPs.
 *
 * Route 53 restores are paced by the kit's request rate (Route 53 allows 5 requests per second per
 * account; a restore reads the record and changes it), so their latency and the "all at once" time of
 * 100 records measure that pacing, not the emulator.
 *
 * Run: {@code ./mvnw -q -pl agent -am test-compile exec:java@aws-benchmark -Dexec.skip -Dexec.mainClass=-}
 * (skip and mainClass apply to the modules before the agent, whose execution sets both). Needs {@code moto_server} (or {@code
 * KAWARI_AWS_ENDPOINT}). Numbers against moto measure the kits and the emulator on this machine, not AWS.
 */
public final class AwsApiBenchmark {
    private static final int TICKS = 10;
    private static final Duration FRESHNESS_GAP = Duration.ofMillis(700);
    private static final Duration SCHEDULED_RUN = Duration.ofSeconds(5);

    /**
     * @param sizes the numbers of resources to measure
     * @param maxSamples the most one-at-a-time restores to time (Route 53's: its 5 requests per second
     *     make each restore cost 0.4 s of the account's rate, so 20 say enough)
     */
    private record Kind(String type, String describe, int[] sizes, int maxSamples) {
    }

    private static final Kind ROUTE_TABLE = new Kind("ec2-route-table", "ec2:DescribeRouteTables",
            new int[] {1, 10, 100}, Integer.MAX_VALUE);
    private static final Kind EIP = new Kind("ec2-eip", "ec2:DescribeAddresses", new int[] {1, 10, 100},
            Integer.MAX_VALUE);
    private static final Kind SECONDARY_IP = new Kind("secondary-ip", "ec2:DescribeNetworkInterfaces",
            new int[] {1, 10, 100}, Integer.MAX_VALUE);
    private static final Kind ENI = new Kind("eni", "ec2:DescribeNetworkInterfaces", new int[] {1, 5, 15},
            Integer.MAX_VALUE);
    private static final Kind ROUTE53 = new Kind("route53", "route53:ListResourceRecordSets", new int[] {1, 10, 100},
            20);

    private record TickRow(Kind kind, int addresses, double describesPerTick, double otherPerTick,
            double scheduledDescribesPerSecond, long restores, double medianMs, double p99Ms, double callsPerRestore,
            double allAtOnceMs) {
    }

    private AwsApiBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        AwsEndpoint endpoint;
        try {
            endpoint = AwsEndpointExtension.shared();
        } catch (RuntimeException | AssertionError e) {
            System.out.println("AWS benchmark not run: " + e.getMessage());
            return;
        }
        Engine engine = Guice.createInjector(new EngineModule()).getInstance(Engine.class);
        List<TickRow> rows = new ArrayList<>();
        for (Kind kind : List.of(ROUTE_TABLE, EIP, SECONDARY_IP, ENI, ROUTE53)) {
            for (int addresses : kind.sizes()) {
                endpoint.reset();
                if (kind == ENI) {
                    rows.add(measureInNamespace(endpoint, kind, addresses));
                } else {
                    rows.add(measure(engine, endpoint, kind, addresses));
                }
            }
        }
        print(endpoint, rows);
        System.exit(0);
    }

    /** The ENIs with their operating system in a namespace: the kit built with the namespace's commands. */
    private static TickRow measureInNamespace(AwsEndpoint endpoint, Kind kind, int enis) throws Exception {
        try (NetworkNamespace namespace = NetworkNamespace.create()) {
            KitRegistry registry = KitRegistry.of(List.of(new EniKit(new EniResourceType(
                    InstanceMetadata.fromEnvironment(), new HostCommands(namespace.inside(List.of()))))),
                    AwsApiBenchmark.class.getClassLoader());
            Engine engine = new Engine(registry, new ConfigLoader(registry), TimeSource.system(), Sleeper.system(),
                    new EventBus());
            Ec2Topology topology;
            try (Ec2Client ec2 = endpoint.ec2()) {
                topology = Ec2Topology.builder().oneSubnet().elasticIps(0).dedicatedEnis(enis).create(ec2);
            }
            for (int i = 0; i < enis; i++) {
                namespace.addLink("eni" + i, topology.dedicatedEnis().get(i).mac());
            }
            return measure(engine, endpoint, kind, enis, topology);
        }
    }

    private static TickRow measure(Engine engine, AwsEndpoint endpoint, Kind kind, int addresses) throws Exception {
        Ec2Topology topology;
        try (Ec2Client ec2 = endpoint.ec2()) {
            var builder = Ec2Topology.builder().elasticIps(kind == EIP ? addresses : 0);
            topology = (kind == SECONDARY_IP ? builder.oneSubnet() : builder).create(ec2);
        }
        return measure(engine, endpoint, kind, addresses, topology);
    }

    private static TickRow measure(Engine engine, AwsEndpoint endpoint, Kind kind, int addresses, Ec2Topology topology)
            throws Exception {
        String zone = kind == ROUTE53 ? privateZone(endpoint, topology) : null;
        Path dir = Files.createTempDirectory("kawari-bench");
        Path file = dir.resolve("kawari.conf");
        Files.writeString(file, config(endpoint, topology, kind, addresses, zone));
        List<Event> events = new CopyOnWriteArrayList<>();
        AutoCloseable subscription = engine.events().subscribe(events::add);
        try (subscription;
                KawariConfig config = engine.configs().load(file);
                LocalNode a = engine.startNode(config, "node-a");
                LocalNode b = engine.startNode(config, "node-b")) {
            // Every address starts on node B; all of them at once, in parallel as the engine restores
            // independent resources, then back to A.
            long parallelStart = System.nanoTime();
            check(b.restoreAll().get("bench").ok(), "restore of everything on node-b");
            double parallelMs = (System.nanoTime() - parallelStart) / 1e6;
            // Then one resource at a time, alternating nodes so that each restore really moves.
            int samples = Math.max(20, addresses);
            samples = Math.min(samples, Math.max(20, 2 * addresses));
            samples = Math.min(samples, kind.maxSamples());
            events.clear();
            long restoreCalls = 0;
            for (int i = 0; i < samples; i++) {
                int resource = i % addresses;
                int round = i / addresses;
                LocalNode node = round % 2 == 0 ? a : b;
                if (kind == SECONDARY_IP) {
                    // The emulator copies a reassigned address instead of moving it: without the other
                    // node's remove first, every restore after the first round would find it in place.
                    LocalNode other = node == a ? b : a;
                    check(other.service("bench").orElseThrow().remove(List.of("a" + resource)).ok(), "remove " + i);
                }
                ApiCallCounts beforeRestore = ApiCallCounter.process().snapshot();
                check(node.service("bench").orElseThrow().restore(List.of("a" + resource)).ok(), "restore " + i);
                restoreCalls += ApiCallCounter.process().snapshot().since(beforeRestore).total();
            }
            List<Long> nanos = events.stream()
                    .filter(event -> event.kind() == EventKind.ACTION && "restore".equals(event.details().get("action")))
                    .map(event -> event.duration().orElseThrow().toNanos()).sorted().toList();
            long restores = samples;
            check(nanos.size() == restores, nanos.size() + " restore events, expected " + restores);

            check(a.restoreAll().get("bench").ok(), "restore of everything on node-a");
            ServiceRuntime service = a.service("bench").orElseThrow();
            List<MonitorRunner> monitors = service.monitors();
            double[] synthetic = ticks(kind, monitors);

            events.clear();
            Thread.sleep(FRESHNESS_GAP.toMillis());
            ApiCallCounts beforeScheduled = ApiCallCounter.process().snapshot();
            a.startMonitors();
            long start = System.nanoTime();
            Thread.sleep(SCHEDULED_RUN.toMillis());
            service.stopMonitors();
            double seconds = (System.nanoTime() - start) / 1e9;
            ApiCallCounts scheduled = ApiCallCounter.process().snapshot().since(beforeScheduled);
            check(events.stream().noneMatch(event -> event.kind() == EventKind.CHECK
                    && !event.outcome().equals("healthy")), "every scheduled check healthy");

            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
            return new TickRow(kind, addresses, synthetic[0], synthetic[1], scheduled.of(kind.describe()) / seconds,
                    restores, percentile(nanos, 0.50) / 1e6, percentile(nanos, 0.99) / 1e6,
                    (double) restoreCalls / restores, parallelMs);
        }
    }

    /** Every monitor checked at once, {@link #TICKS} times: {describes per tick, other calls per tick}. */
    private static double[] ticks(Kind kind, List<MonitorRunner> monitors) throws Exception {
        double describes = 0;
        double others = 0;
        for (int tick = 0; tick < TICKS; tick++) {
            Thread.sleep(FRESHNESS_GAP.toMillis());
            ApiCallCounts before = ApiCallCounter.process().snapshot();
            List<CompletableFuture<CheckResult>> checks = new ArrayList<>();
            for (MonitorRunner monitor : monitors) {
                checks.add(monitor.checkNow());
            }
            for (CompletableFuture<CheckResult> check : checks) {
                CheckResult result = check.join();
                check(result.status() == CheckResult.Status.HEALTHY, "check: " + result);
            }
            ApiCallCounts made = ApiCallCounter.process().snapshot().since(before);
            describes += made.of(kind.describe());
            others += made.total() - made.of(kind.describe());
        }
        return new double[] {describes / TICKS, others / TICKS};
    }

    /** A private hosted zone for the Route 53 rows, associated with the topology's VPC. */
    private static String privateZone(AwsEndpoint endpoint, Ec2Topology topology) {
        try (Route53Client route53 = endpoint.route53()) {
            String id = route53.createHostedZone(request -> request.name("bench.example.")
                    .callerReference("kawari-bench-" + System.nanoTime())
                    .vpc(vpc -> vpc.vpcId(topology.vpcId()).vpcRegion(endpoint.region()))
                    .hostedZoneConfig(config -> config.privateZone(true))).hostedZone().id();
            return id.substring(id.lastIndexOf('/') + 1);
        }
    }

    private static String config(AwsEndpoint endpoint, Ec2Topology topology, Kind kind, int addresses, String zone) {
        StringBuilder resources = new StringBuilder();
        StringBuilder monitors = new StringBuilder();
        String tables = String.join(", ", topology.routeTableIds().stream().map(id -> "\"" + id + "\"").toList());
        for (int i = 0; i < addresses; i++) {
            if (kind == ROUTE_TABLE) {
                resources.append("      a").append(i).append(" { type = ec2-route-table, address = \"198.51.")
                        .append(100 + i / 250).append('.').append(1 + i % 250).append("\", route-tables = [")
                        .append(tables).append("], local-address = false }\n");
            } else if (kind == ROUTE53) {
                resources.append("      a").append(i).append(" { type = route53, hosted-zone-id = \"").append(zone)
                        .append("\", name = \"r").append(i).append(".bench.example.\", ttl = 10s }\n");
            } else if (kind == EIP) {
                resources.append("      a").append(i).append(" { type = ec2-eip, allocation-id = \"")
                        .append(topology.addresses().get(i).allocationId()).append("\" }\n");
            } else if (kind == SECONDARY_IP) {
                // 10.0.1.100 to .199: the subnet's interfaces are the two instances', at the first addresses.
                resources.append("      a").append(i).append(" { type = secondary-ip, address = \"10.0.1.")
                        .append(100 + i).append("\", local-address = false }\n");
            } else {
                resources.append("      a").append(i).append(" { type = eni, eni-id = \"")
                        .append(topology.dedicatedEnis().get(i).id()).append("\", device-index = ").append(i + 1)
                        .append(" }\n");
            }
            monitors.append("      m").append(i).append(" { type = ").append(kind.type()).append(", target = a").append(i)
                    .append(", interval = 1s, timeout = 10s }\n");
        }
        return "kawari {\n  cluster = bench\n  " + endpoint.awsSectionHocon() + "\n  "
                + topology.nodesHocon(endpoint.region(), java.util.Map.of()).replace("\n", "\n  ") + "\n"
                + "  services.bench {\n    resources {\n" + resources + "    }\n    monitors {\n" + monitors
                + "    }\n  }\n}\n";
    }

    private static double percentile(List<Long> sorted, double fraction) {
        int index = (int) Math.ceil(fraction * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("benchmark precondition failed: " + what);
        }
    }

    private static void print(AwsEndpoint endpoint, List<TickRow> rows) {
        System.out.printf(Locale.ROOT, "%nAWS API calls per monitor tick and restore latency, against %s at %s%n",
                endpoint.kind(), endpoint.uri());
        System.out.printf(Locale.ROOT, "(one node; route-table VIPs over 3 route tables of one VPC; secondary IPs"
                + " without local address; ENIs up in a namespace; Route 53 records of one private zone; calls per tick: %d"
                + " ticks of every monitor at once; desc/s: the engine's own schedule, interval 1s, for %ds;%n"
                + " restore: one resource at a time, each restore moving the address to the other node; all at once:"
                + " every resource of the service restored in parallel)%n%n", TICKS, SCHEDULED_RUN.toSeconds());
        System.out.printf(Locale.ROOT, "%-16s %9s %14s %11s %8s %9s %10s %8s %13s %15s %7s%n", "kind", "addresses",
                "describes/tick", "other/tick", "desc/s", "restores", "median ms", "p99 ms", "calls/restore",
                "all at once ms", "target");
        boolean allMet = true;
        for (TickRow row : rows) {
            boolean met = row.describesPerTick() <= 1.0 && row.otherPerTick() == 0.0;
            allMet &= met;
            System.out.printf(Locale.ROOT, "%-16s %9d %14.2f %11.2f %8.2f %9d %10.1f %8.1f %13.1f %15.0f %7s%n",
                    row.kind().type(), row.addresses(), row.describesPerTick(), row.otherPerTick(),
                    row.scheduledDescribesPerSecond(), row.restores(), row.medianMs(), row.p99Ms(),
                    row.callsPerRestore(), row.allAtOnceMs(), met ? "met" : "MISSED");
        }
        System.out.printf(Locale.ROOT, "%nTarget: at most one describe per VPC (route tables), per region (Elastic"
                + " IPs, ENIs) and per node (secondary IPs), and one ListResourceRecordSets per hosted zone (Route 53)"
                + " per tick, constant in the number of addresses, ENIs or records: %s%n", allMet ? "met" : "MISSED");
        System.out.println("Without sharing, N addresses, ENIs or records would cost N calls per tick.");
        System.out.println("Route 53 restores wait for the kit's request rate (5 per second per account, Route 53's"
                + " limit): a restore is 2 requests (read, UPSERT; GetChange polls on AWS), so 100 at once take ~40 s.");
    }
}
