package dev.kawari.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kawari.testkit.aws.AwsEndpoint;
import dev.kawari.testkit.aws.AwsEndpointExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chaos: two, then three real agent processes ({@code kawari run}) on this machine share the DynamoDB
 * coordinator (moto_server behind the serialising proxy; not DynamoDB Local), with the fast lease
 * profile. Each randomised round hits the active agent with one of:
 *
 * <ul>
 *   <li>{@code kill}: kill -9, then a restart of the agent (at once, or once another node took over);
 *   <li>{@code pause}: SIGSTOP for longer than the lease, then SIGCONT;
 *   <li>{@code cut}: its proxy to the coordinator refuses (HTTP 503) or stalls every request, then heals,
 *       after anything from its fencing budget to past the standby's takeover time.
 * </ul>
 *
 * After each round the test waits for the cluster to come to rest and notes that moment. At the end,
 * {@link InServiceChecker} proves from the agents' event logs that no two nodes were ever in service at
 * overlapping times, that every holder honoured its fencing deadline, and that at each noted moment
 * exactly one node was in service.
 *
 * <p>Rounds: {@code -Dkawari.chaos.rounds=N} in all (default 30, half with two agents, half with three);
 * seed: {@code -Dkawari.chaos.seed=S} (default fixed, and printed; the three-agent half uses S + 1).
 */
class ClusterChaosIT {
    static final long DEFAULT_SEED = 20_240_601L;
    static final int DEFAULT_ROUNDS = 30;

    @RegisterExtension
    static final AwsEndpointExtension aws = new AwsEndpointExtension();

    @TempDir(cleanup = CleanupMode.ON_SUCCESS) // event logs and agent output stay for a failure's diagnosis
    Path dir;

    enum Kind { KILL, PAUSE, CUT }

    /** What one round did and what followed. */
    record Round(int number, Kind kind, String victim, String how, long faultNanos, long newHolderNanos,
            String newHolder, long steadyNanos) {
    }

    @Test
    void twoAgents(AwsEndpoint endpoint) throws Exception {
        chaos(endpoint, List.of("node-a", "node-b"), rounds() / 2, seed());
    }

    @Test
    void threeAgents(AwsEndpoint endpoint) throws Exception {
        chaos(endpoint, List.of("node-a", "node-b", "node-c"), rounds() - rounds() / 2, seed() + 1);
    }

    static int rounds() {
        return Integer.getInteger("kawari.chaos.rounds", DEFAULT_ROUNDS);
    }

    static long seed() {
        return Long.getLong("kawari.chaos.seed", DEFAULT_SEED);
    }

    private void chaos(AwsEndpoint endpoint, List<String> nodes, int rounds, long seed) throws Exception {
        AgentCluster.Profile profile = AgentCluster.Profile.FAST;
        System.out.printf(Locale.ROOT, "chaos: %d agents, %d rounds, seed %d (-Dkawari.chaos.seed=%d"
                + " -Dkawari.chaos.rounds=N to rerun or extend), profile %s, DynamoDB on moto behind the serialising"
                + " proxy%n", nodes.size(), rounds, seed, seed, profile);
        Random random = new Random(seed);
        long started = System.nanoTime();
        List<Round> done = new ArrayList<>();
        List<InServiceChecker.Probe> probes = new ArrayList<>();
        try (AgentCluster cluster = AgentCluster.create(endpoint, dir, "chaos-" + nodes.size(), profile, nodes,
                Duration.ofMillis(250))) {
            for (String node : nodes) {
                cluster.agent(node).start();
            }
            AgentCluster.Steady steady = cluster.awaitSteady(Duration.ofSeconds(60));
            probes.add(new InServiceChecker.Probe("start", AgentCluster.SERVICE, steady.nanos()));
            List<Kind> kinds = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                if (kinds.isEmpty()) { // every kind equally often, in random order
                    kinds.addAll(List.of(Kind.values()));
                    Collections.shuffle(kinds, random);
                }
                Kind kind = kinds.remove(0);
                Round fault = round(cluster, profile, random, round, kind, steady.holder());
                steady = cluster.awaitSteady(Duration.ofSeconds(60));
                long restedAt = steady.nanos();
                var taken = cluster.first(fault.faultNanos(), fault.victim(),
                        e -> e.is("LEASE", "acquired") && e.nanos() <= restedAt);
                Round result = new Round(round, kind, fault.victim(), fault.how(), fault.faultNanos(),
                        taken.map(AgentEvent::nanos).orElse(0L), taken.map(AgentEvent::node).orElse(""), restedAt);
                probes.add(new InServiceChecker.Probe("after round " + round + " (" + kind.name().toLowerCase(Locale.ROOT)
                        + " " + result.victim() + ")", AgentCluster.SERVICE, steady.nanos()));
                done.add(result);
                System.out.printf(Locale.ROOT, "  round %2d: %-5s %s %s -> %s%s; at rest on %s (epoch %d) %.2f s after"
                        + " the fault%n", round, kind.name().toLowerCase(Locale.ROOT), result.victim(), result.how(),
                        result.newHolder().isEmpty() ? "no takeover" : "taken over by " + result.newHolder(),
                        result.newHolder().isEmpty() ? "" : String.format(Locale.ROOT, " in %.2f s",
                                (result.newHolderNanos() - result.faultNanos()) / 1e9),
                        steady.holder(), steady.epoch(), (steady.nanos() - result.faultNanos()) / 1e9);
            }
            cluster.stopAll();
            InServiceChecker.Report report = InServiceChecker.check(cluster.logs(), profile.safety(), probes);
            print(nodes.size(), done, report, System.nanoTime() - started);
            assertThat(report.problems()).as("what the event logs prove (logs in " + dir + ")").isEmpty();
            assertThat(done).hasSize(rounds);
            assertThat(done.stream().filter(r -> !r.newHolder().isEmpty()).count())
                    .as("takeovers: the faults really moved the service").isPositive();
            assertThat(report.intervals()).as("intervals in service").hasSizeGreaterThan(rounds / 3);
        }
    }

    private Round round(AgentCluster cluster, AgentCluster.Profile profile, Random random, int number, Kind kind,
            String holder) throws Exception {
        AgentCluster.Agent victim = cluster.agent(holder);
        long fault;
        String how;
        switch (kind) {
            case KILL -> {
                boolean restartAtOnce = random.nextInt(3) == 0;
                how = restartAtOnce ? "(kill -9, restarted at once)" : "(kill -9, restarted after the takeover)";
                fault = System.nanoTime();
                victim.kill();
                if (!restartAtOnce) {
                    cluster.await(fault, holder, e -> e.is("LEASE", "acquired"), Duration.ofSeconds(60),
                            "takeover after kill -9 of " + holder);
                }
                victim.start();
            }
            case PAUSE -> {
                long pause = profile.lease().toMillis() + 100 + random.nextInt(2000);
                how = "(SIGSTOP for " + pause + " ms)";
                fault = System.nanoTime();
                victim.pause();
                TimeUnit.MILLISECONDS.sleep(pause);
                victim.resume();
            }
            case CUT -> {
                long cut = profile.fenceAfter().toMillis()
                        + random.nextInt((int) (profile.takeoverAfter().toMillis() + 2000 - profile.fenceAfter().toMillis()));
                boolean stall = random.nextBoolean();
                how = "(coordinator " + (stall ? "stalled" : "refused") + " for " + cut + " ms)";
                fault = System.nanoTime();
                if (stall) {
                    victim.stall();
                } else {
                    victim.refuse();
                }
                TimeUnit.MILLISECONDS.sleep(cut);
                victim.heal();
            }
            default -> throw new IllegalStateException();
        }
        return new Round(number, kind, holder, how, fault, 0, "", 0);
    }

    private static void print(int agents, List<Round> rounds, InServiceChecker.Report report, long nanos) {
        Map<Kind, Integer> perKind = new EnumMap<>(Kind.class);
        Map<Kind, Integer> takeoversPerKind = new EnumMap<>(Kind.class);
        List<Long> toNewHolder = new ArrayList<>();
        for (Round round : rounds) {
            perKind.merge(round.kind(), 1, Integer::sum);
            if (!round.newHolder().isEmpty()) {
                takeoversPerKind.merge(round.kind(), 1, Integer::sum);
                toNewHolder.add(round.newHolderNanos() - round.faultNanos());
            }
        }
        Collections.sort(toNewHolder);
        System.out.printf(Locale.ROOT, "chaos figures, %d agents: %d rounds in %.0f s (kill %d, pause %d, cut %d);"
                        + " takeovers by another node %d (after kill %d, pause %d, cut %d); time to a new holder: median"
                        + " %.2f s, max %.2f s; in-service intervals %d; overlaps found %d; deadline violations %d;"
                        + " rounds not ending with exactly one node in service %d%n",
                agents, rounds.size(), nanos / 1e9, perKind.getOrDefault(Kind.KILL, 0),
                perKind.getOrDefault(Kind.PAUSE, 0), perKind.getOrDefault(Kind.CUT, 0), toNewHolder.size(),
                takeoversPerKind.getOrDefault(Kind.KILL, 0), takeoversPerKind.getOrDefault(Kind.PAUSE, 0),
                takeoversPerKind.getOrDefault(Kind.CUT, 0),
                toNewHolder.isEmpty() ? 0 : toNewHolder.get((toNewHolder.size() - 1) / 2) / 1e9,
                toNewHolder.isEmpty() ? 0 : toNewHolder.get(toNewHolder.size() - 1) / 1e9,
                report.intervals().size(), report.overlaps().size(), report.deadlineViolations().size(),
                report.probeFailures().size());
        report.problems().forEach(problem -> System.out.println("  " + problem));
    }
}
