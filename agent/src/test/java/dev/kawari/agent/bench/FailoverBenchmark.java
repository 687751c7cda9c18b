package dev.kawari.agent.bench;

import dev.kawari.agent.Kawari;
import dev.kawari.agent.cluster.AgentCluster;
import dev.kawari.agent.cluster.AgentEvent;
import dev.kawari.agent.cluster.InServiceChecker;
import dev.kawari.testkit.aws.AwsEndpoint;
import dev.kawari.testkit.aws.AwsEndpointExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Failover times of real agent processes: two {@code kawari run} agents on this machine on the DynamoDB
 * coordinator (moto_server behind the serialising proxy, as in the chaos test; not DynamoDB Local),
 * one service of one {@code exec} resource with an {@code exec} monitor of default settings (every 10 s,
 * its first check as soon as the restore finished). Each crash or request comes after a random delay
 * of up to one renew interval (fixed seed), so that it falls anywhere between two renewals.
 *
 * <ol>
 *   <li>Crash to healthy on the standby, with the default coordinator settings and with the fast
 *       profile: kill -9 of the active agent; detection (crash to the standby's read that allows the
 *       takeover), takeover (its conditional write), restore (to IN_SERVICE), healthy (to the first
 *       healthy answer of the monitor). The killed
 *       agent is restarted as the standby of the next run.
 *   <li>Graceful switchover ({@code kawari switchover svc --to NODE}, default settings), asked on the
 *       active node and on the standby: request to the holder's decision (detection), removal,
 *       takeover (the hand-over written, the target's read and conditional write), restore, healthy.
 * </ol>
 *
 * Times come from the agents' event logs (System.nanoTime, comparable across processes on one Linux
 * machine). At the end, the chaos test's checker proves from the same logs that the service never ran
 * on two nodes at once.
 *
 * <p>Run: {@code ./mvnw -q -pl agent -am test-compile exec:java@failover-benchmark -Dexec.skip -Dexec.mainClass=-}
 * ({@code -Dkawari.bench.runs=N}, default 20; {@code -Dkawari.bench.default-runs=N} for the
 * default-profile crash runs, default the same). Targets on this machine: crash with the default
 * settings p99 at most 15 s, fast profile p99 at most 5 s, switchover p99 at most 2 s.
 */
public final class FailoverBenchmark {
    /** The monitor's settings: the defaults (every 10 s, failure threshold 3; the first check right after a restore). */
    private static final Duration MONITOR_INTERVAL = null;
    private static final long SEED = 42;
    private static final List<String> NODES = List.of("node-a", "node-b");

    /** One run's phases, in nanoseconds; {@code phases} in the order of {@code Row.phaseNames}. */
    private record Sample(long total, long[] phases) {
    }

    private record Row(String scenario, double targetSeconds, List<String> phaseNames, List<Sample> samples) {
    }

    private FailoverBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = Integer.getInteger("kawari.bench.runs", 20);
        int defaultRuns = Integer.getInteger("kawari.bench.default-runs", runs);
        AwsEndpoint endpoint;
        try {
            endpoint = AwsEndpointExtension.shared();
        } catch (RuntimeException | AssertionError e) {
            System.out.println("failover benchmark not run: " + e.getMessage());
            return;
        }
        Path dir = Files.createTempDirectory("kawari-failover-bench");
        List<Row> rows = new ArrayList<>();
        List<String> proofs = new ArrayList<>();
        long started = System.nanoTime();
        rows.add(crash(endpoint, dir.resolve("crash-default"), AgentCluster.Profile.DEFAULT, defaultRuns, 15, proofs));
        rows.add(crash(endpoint, dir.resolve("crash-fast"), AgentCluster.Profile.FAST, runs, 5, proofs));
        rows.addAll(switchover(endpoint, dir.resolve("switchover"), AgentCluster.Profile.DEFAULT, runs, proofs));
        print(rows, proofs, System.nanoTime() - started);
        deleteTree(dir);
        System.exit(0);
    }

    private static Row crash(AwsEndpoint endpoint, Path dir, AgentCluster.Profile profile, int runs, double target,
            List<String> proofs) throws Exception {
        List<Sample> samples = new ArrayList<>();
        try (AgentCluster cluster = AgentCluster.create(endpoint, dir, "bench-crash-" + profile.name(), profile, NODES,
                MONITOR_INTERVAL)) {
            for (String node : NODES) {
                cluster.agent(node).start();
            }
            AgentCluster.Steady steady = cluster.awaitSteady(Duration.ofSeconds(120));
            java.util.Random random = new java.util.Random(SEED);
            for (int run = 1; run <= runs; run++) {
                String holder = steady.holder();
                Thread.sleep(random.nextInt((int) profile.renew().toMillis()));
                long crash = System.nanoTime();
                cluster.agent(holder).kill();
                AgentEvent acquired = cluster.await(crash, holder, e -> e.is("LEASE", "acquired"),
                        Duration.ofSeconds(60), "takeover after kill -9 of " + holder);
                String successor = acquired.node();
                AgentEvent inService = await(cluster, acquired.nanos(), successor, e -> e.is("SERVICE_STATE", "IN_SERVICE"));
                AgentEvent healthy = await(cluster, inService.nanos(), successor, e -> e.is("CHECK", "healthy"));
                long decided = acquired.longDetail("decided-nanos", acquired.nanos());
                Sample sample = new Sample(healthy.nanos() - crash, new long[] {decided - crash,
                    acquired.nanos() - decided, inService.nanos() - acquired.nanos(), healthy.nanos() - inService.nanos()});
                samples.add(sample);
                System.out.printf(Locale.ROOT, "  crash, %s profile, run %2d: %s killed, healthy on %s after %.2f s%n",
                        profile.name(), run, holder, successor, sample.total() / 1e9);
                cluster.agent(holder).start(); // the next run's standby
                steady = cluster.awaitSteady(Duration.ofSeconds(120));
            }
            cluster.stopAll();
            proofs.add(prove("crash, " + profile.name(), cluster, profile));
        }
        return new Row("crash -> healthy, " + profile, target, List.of("detection", "takeover", "restore", "healthy"),
                samples);
    }

    private static List<Row> switchover(AwsEndpoint endpoint, Path dir, AgentCluster.Profile profile, int runs,
            List<String> proofs) throws Exception {
        List<Sample> onHolder = new ArrayList<>();
        List<Sample> onStandby = new ArrayList<>();
        try (AgentCluster cluster = AgentCluster.create(endpoint, dir, "bench-switchover", profile, NODES,
                MONITOR_INTERVAL)) {
            for (String node : NODES) {
                cluster.agent(node).start();
            }
            AgentCluster.Steady steady = cluster.awaitSteady(Duration.ofSeconds(120));
            java.util.Random random = new java.util.Random(SEED);
            for (int run = 1; run <= 2 * runs; run++) {
                String holder = steady.holder();
                String target = NODES.stream().filter(node -> !node.equals(holder)).findFirst().orElseThrow();
                boolean askHolder = run % 2 == 1;
                String asked = askHolder ? holder : target;
                Thread.sleep(random.nextInt((int) profile.renew().toMillis()));
                long request = System.nanoTime();
                StringWriter output = new StringWriter();
                int code = Kawari.execute(new String[] {"switchover", AgentCluster.SERVICE, "--to", target,
                    "--state-dir", dir.resolve("state").toString(), "--node", asked},
                        new PrintWriter(output), new PrintWriter(output));
                if (code != 0) {
                    throw new IllegalStateException("kawari switchover failed (" + code + "): " + output);
                }
                AgentEvent leaving = await(cluster, request, holder, e -> e.is("LEASE", "leaving"));
                // The holder logs handed-over when its write is answered; the target may have read the
                // lease and taken it before that, so removal ends at the holder's OUT_OF_SERVICE.
                AgentEvent removed = await(cluster, leaving.nanos(), holder,
                        e -> e.is("SERVICE_STATE", "OUT_OF_SERVICE"));
                await(cluster, leaving.nanos(), holder, e -> e.is("LEASE", "handed-over"));
                AgentEvent acquired = await(cluster, leaving.nanos(), target, e -> e.is("LEASE", "acquired"));
                AgentEvent inService = await(cluster, acquired.nanos(), target, e -> e.is("SERVICE_STATE", "IN_SERVICE"));
                AgentEvent healthy = await(cluster, inService.nanos(), target, e -> e.is("CHECK", "healthy"));
                Sample sample = new Sample(healthy.nanos() - request, new long[] {leaving.nanos() - request,
                    removed.nanos() - leaving.nanos(), acquired.nanos() - removed.nanos(),
                    inService.nanos() - acquired.nanos(), healthy.nanos() - inService.nanos()});
                (askHolder ? onHolder : onStandby).add(sample);
                System.out.printf(Locale.ROOT, "  switchover run %2d (asked on the %s): %s -> %s, healthy after %.2f s%n",
                        (run + 1) / 2, askHolder ? "holder" : "standby", holder, target, sample.total() / 1e9);
                steady = cluster.awaitSteady(Duration.ofSeconds(60));
            }
            cluster.stopAll();
            proofs.add(prove("switchover", cluster, profile));
        }
        List<String> phases = List.of("detection", "removal", "takeover", "restore", "healthy");
        return List.of(new Row("switchover asked on the active node, " + profile.name() + " settings", 2, phases,
                onHolder), new Row("switchover asked on the standby, " + profile.name() + " settings", 2, phases,
                onStandby));
    }

    /** The first event of {@code node} after {@code after} matching {@code wanted}, waiting up to 60 s. */
    private static AgentEvent await(AgentCluster cluster, long after, String node, Predicate<AgentEvent> wanted)
            throws InterruptedException {
        String other = NODES.stream().filter(n -> !n.equals(node)).findFirst().orElseThrow();
        return cluster.await(after, other, wanted.and(e -> e.node().equals(node)), Duration.ofSeconds(60),
                "event of " + node);
    }

    private static String prove(String what, AgentCluster cluster, AgentCluster.Profile profile) {
        InServiceChecker.Report report = InServiceChecker.check(cluster.logs(), profile.safety(), List.of());
        return what + ": " + report.intervals().size() + " in-service intervals, " + report.overlaps().size()
                + " overlaps, " + report.deadlineViolations().size() + " deadline violations"
                + (report.clean() ? "" : "\n    " + String.join("\n    ", report.problems()));
    }

    private static void print(List<Row> rows, List<String> proofs, long nanos) {
        System.out.println();
        System.out.printf(Locale.ROOT, "Failover benchmark (%.0f s): 2 agent processes (kawari run) on this machine,"
                + " DynamoDB coordinator on moto behind the serialising proxy; service: 1 exec resource, exec monitor"
                + " with default settings (first check right after the restore); each crash or request at a random"
                + " point between two renewals (seed %d). Seconds, median / p99 (nearest rank).%n", nanos / 1e9, SEED);
        for (Row row : rows) {
            if (row.samples().isEmpty()) {
                continue;
            }
            double p99 = percentile(row.samples().stream().map(Sample::total).toList(), 0.99) / 1e9;
            System.out.printf(Locale.ROOT, "%n%s: %d runs%n  total      %6.2f / %6.2f   target p99 <= %.0f s: %s%n",
                    row.scenario(), row.samples().size(),
                    percentile(row.samples().stream().map(Sample::total).toList(), 0.50) / 1e9, p99,
                    row.targetSeconds(), p99 <= row.targetSeconds() ? "met" : "MISSED");
            for (int i = 0; i < row.phaseNames().size(); i++) {
                int phase = i;
                List<Long> values = row.samples().stream().map(sample -> sample.phases()[phase]).toList();
                System.out.printf(Locale.ROOT, "  %-10s %6.2f / %6.2f%n", row.phaseNames().get(i),
                        percentile(values, 0.50) / 1e9, percentile(values, 0.99) / 1e9);
            }
        }
        System.out.println();
        proofs.forEach(proof -> System.out.println("checked from the event logs, " + proof));
    }

    /** Nearest-rank percentile. */
    private static double percentile(List<Long> values, double p) {
        List<Long> sorted = values.stream().sorted().toList();
        int rank = (int) Math.ceil(p * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (java.io.IOException e) {
            System.out.println("could not delete " + dir + ": " + e.getMessage());
        }
    }
}
