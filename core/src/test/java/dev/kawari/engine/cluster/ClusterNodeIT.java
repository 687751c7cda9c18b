package dev.kawari.engine.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kawari.engine.Engine;
import dev.kawari.engine.LocalNode;
import dev.kawari.engine.config.ConfigLoader;
import dev.kawari.engine.config.KawariConfig;
import dev.kawari.engine.event.Event;
import dev.kawari.engine.event.EventBus;
import dev.kawari.engine.event.EventKind;
import dev.kawari.engine.kit.KitRegistry;
import dev.kawari.spi.KawariException;
import dev.kawari.spi.Sleeper;
import dev.kawari.spi.TimeSource;
import dev.kawari.spi.cluster.Coordinator;
import dev.kawari.spi.cluster.LeaseRecord;
import dev.kawari.spi.cluster.NodeHeartbeat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster behaviour with two nodes in one JVM on the embedded coordinator (real files, real locks,
 * real time with a short lease: 1 s, safety margin 400 ms, renew 200 ms, poll 100 ms, takeover
 * margin 200 ms). A shared ledger kit proves that no two nodes ever had the service at once.
 */
class ClusterNodeIT {
    private static final String SERVICE = "svc";
    @TempDir
    Path dir;

    private final EventBus bus = new EventBus();
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void reset() {
        LedgerKit.reset();
        bus.subscribe(events::add);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        assertThat(LedgerKit.OVERLAPS).as("two nodes in service at once").isEmpty();
    }

    /** A cut-off switch in front of a node's coordinator: the test's stand-in for a network partition. */
    static final class Cuttable implements Coordinator {
        final Coordinator inner;
        volatile boolean cut;
        /**
         * While set, a conditional write (a renewal) hangs until it is counted down; then an earlier
         * attempt of the same write, which timed out on the client, lands first (the network delivered
         * it late), so this one finds the version changed under the same holder and epoch.
         */
        volatile java.util.concurrent.CountDownLatch stallWrites;

        Cuttable(Coordinator inner) {
            this.inner = inner;
        }

        private void check() {
            if (cut) {
                throw new KawariException(UNAVAILABLE, true, "cut off by the test");
            }
        }

        @Override
        public Optional<LeaseRecord> read(String service) {
            check();
            return inner.read(service);
        }

        @Override
        public boolean create(LeaseRecord record) {
            check();
            return inner.create(record);
        }

        @Override
        public boolean replace(String expectedVersion, LeaseRecord next) {
            check();
            java.util.concurrent.CountDownLatch stall = stallWrites;
            if (stall != null) {
                try {
                    stall.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new KawariException(UNAVAILABLE, true, "interrupted");
                }
                inner.replace(expectedVersion, next.renewed()); // the late copy
            }
            return inner.replace(expectedVersion, next);
        }

        @Override
        public void heartbeat(NodeHeartbeat beat) {
            check();
            inner.heartbeat(beat);
        }

        @Override
        public Optional<NodeHeartbeat> heartbeat(String node) {
            check();
            return inner.heartbeat(node);
        }

        @Override
        public String describe() {
            return inner.describe();
        }
    }

    private record Node(String name, LocalNode local, ClusterNode cluster, Cuttable link) {
    }

    private Path config(String serviceExtras) throws Exception {
        Path file = dir.resolve("cluster.conf");
        Files.writeString(file, """
                kawari {
                  cluster = test
                  nodes { node-a { priority = 1 }, node-b { priority = 2 } }
                  coordinator {
                    type = embedded, directory = "%s"
                    lease-duration = 1s, safety-margin = 400ms, renew-interval = 200ms
                    poll-interval = 100ms, takeover-margin = 200ms
                  }
                  services.svc {
                    %s
                    resources { r { type = ledger } }
                    monitors { m { type = ledger-probe, target = r, interval = 100ms, failure-threshold = 1,
                                   max-local-recoveries = 0 } }
                  }
                }
                """.formatted(dir.resolve("coordinator"), serviceExtras));
        return file;
    }

    private Node start(Path file, String name) {
        KitRegistry kits = KitRegistry.of(List.of(new LedgerKit()), getClass().getClassLoader());
        Engine engine = new Engine(kits, new ConfigLoader(kits), TimeSource.system(), Sleeper.system(), bus);
        KawariConfig config = engine.configs().load(file);
        open.add(config);
        config.coordinator().orElseThrow().instance().prepare();
        LocalNode local = engine.startNode(config, name);
        open.add(local);
        Cuttable link = new Cuttable(config.coordinator().get().instance());
        ClusterNode cluster = new ClusterNode(local, bus, TimeSource.system(), link);
        open.add(cluster);
        cluster.start();
        return new Node(name, local, cluster, link);
    }

    /** The agent process dies with the machine: no more renewals, and what it ran is gone too. */
    private static void crash(Node node) {
        node.cluster.close();
        node.local.close();
        LedgerKit.IN_SERVICE.getOrDefault(SERVICE, Set.of()).remove(node.name);
    }

    private static void await(String what, Duration within, BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("timed out after " + within + " waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private boolean healthyOn(String node) {
        return LedgerKit.holders(SERVICE).equals(Set.of(node))
                && events.stream().anyMatch(e -> e.node().equals(node) && e.kind() == EventKind.SERVICE_STATE
                        && e.outcome().equals("IN_SERVICE"));
    }

    @Test
    void theBetterNodeTakesTheServiceAndTheStandbyTakesOverWhenItCrashes() throws Exception {
        Path file = config("");
        Node a = start(file, "node-a");
        await("node-a in service", Duration.ofSeconds(10), () -> healthyOn("node-a"));
        Node b = start(file, "node-b");
        await("node-b standing by", Duration.ofSeconds(5), () -> events.stream().anyMatch(e -> e.node().equals("node-b")
                && e.kind() == EventKind.LEASE && e.outcome().equals("watching")));
        assertThat(b.cluster.role(SERVICE)).isEqualTo(ClusterNode.Role.STANDBY);
        ClusterStatus.NodeStatus seenA = b.cluster.status().nodes().get(0);
        assertThat(seenA.alive() || seenA.undecided()).as("a running holder is never shown dead: " + seenA).isTrue();
        await("node-a seen alive", Duration.ofSeconds(5), () -> b.cluster.status().nodes().get(0).alive());

        long crashed = System.nanoTime();
        crash(a);
        await("node-b in service", Duration.ofSeconds(10), () -> LedgerKit.holders(SERVICE).equals(Set.of("node-b")));

        assertThat(System.nanoTime() - crashed).as("not before lease + margin")
                .isGreaterThanOrEqualTo(Duration.ofMillis(1200).toNanos() - Duration.ofMillis(400).toNanos());
        assertThat(LedgerKit.RESTORES).containsExactly("node-a@1", "node-b@2"); // the epoch reaches the kit
        ClusterStatus status = b.cluster.status();
        assertThat(status.services().get(0).holder()).isEqualTo("node-b");
        assertThat(status.services().get(0).epoch()).isEqualTo(2);
        await("node-a seen dead", Duration.ofSeconds(5), () -> !b.cluster.status().nodes().get(0).alive());
        assertThat(b.cluster.status().nodes().get(0).undecided()).isFalse();
    }

    @Test
    void aHolderCutOffFromTheCoordinatorRemovesTheServiceBeforeTheStandbyRestoresIt() throws Exception {
        Path file = config("");
        Node a = start(file, "node-a");
        await("node-a in service", Duration.ofSeconds(10), () -> healthyOn("node-a"));
        start(file, "node-b");
        Thread.sleep(300);

        a.link.cut = true;
        await("node-b in service", Duration.ofSeconds(10), () -> LedgerKit.holders(SERVICE).equals(Set.of("node-b")));

        Event fenced = events.stream().filter(e -> e.node().equals("node-a") && e.kind() == EventKind.SERVICE_STATE
                && e.outcome().equals("OUT_OF_SERVICE")).reduce((x, y) -> y).orElseThrow();
        Event taken = events.stream().filter(e -> e.node().equals("node-b") && e.kind() == EventKind.LEASE
                && e.outcome().equals("acquired")).findFirst().orElseThrow();
        assertThat(fenced.monotonicNanos()).as("node-a out of service before node-b took the lease")
                .isLessThan(taken.monotonicNanos());
        assertThat(events).anyMatch(e -> e.node().equals("node-a") && e.kind() == EventKind.LEASE
                && e.outcome().equals("fenced"));

        a.link.cut = false; // back: node-a stands by under node-b's epoch
        await("node-a standing by", Duration.ofSeconds(5), () -> a.cluster.role(SERVICE) == ClusterNode.Role.STANDBY
                && events.stream().anyMatch(e -> e.node().equals("node-a") && e.kind() == EventKind.LEASE
                        && e.outcome().equals("watching") && e.epoch() >= 1));
        Thread.sleep(1500);
        assertThat(LedgerKit.holders(SERVICE)).containsExactly("node-b");
    }

    @Test
    void aRenewalAnsweredOnlyAfterTheWatchdogFencedDoesNotLeaveTheServiceOutOfServiceEverywhere() throws Exception {
        Path file = config("");
        Node a = start(file, "node-a");
        await("node-a in service", Duration.ofSeconds(10), () -> healthyOn("node-a"));
        start(file, "node-b");
        Thread.sleep(300);

        java.util.concurrent.CountDownLatch heal = new java.util.concurrent.CountDownLatch(1);
        a.link.stallWrites = heal; // node-a's next renewal hangs past its deadline: its watchdog removes the service
        await("node-a's watchdog fencing", Duration.ofSeconds(5), () -> events.stream().anyMatch(e ->
                e.node().equals("node-a") && e.kind() == EventKind.LEASE && e.outcome().equals("fencing")));
        await("node-a out of service", Duration.ofSeconds(5), () -> LedgerKit.holders(SERVICE).isEmpty());
        a.link.stallWrites = null;
        heal.countDown(); // the renewal goes through before node-b may take over: the lease is still node-a's

        await("the service in service again on one node", Duration.ofSeconds(10),
                () -> LedgerKit.holders(SERVICE).size() == 1);
        Thread.sleep(1500);
        assertThat(LedgerKit.holders(SERVICE)).hasSize(1);
    }

    @Test
    void aFailoverRequestHandsTheServiceOnAndTheNodeCoolsDown() throws Exception {
        Path file = config("failover-cool-down = 30s");
        Node a = start(file, "node-a");
        await("node-a in service", Duration.ofSeconds(10), () -> healthyOn("node-a"));
        Node b = start(file, "node-b");
        Thread.sleep(300);

        LedgerKit.SICK.add("node-a");
        await("node-b in service", Duration.ofSeconds(10), () -> LedgerKit.holders(SERVICE).equals(Set.of("node-b")));
        assertThat(events).anyMatch(e -> e.node().equals("node-a") && e.kind() == EventKind.LEASE
                && e.outcome().equals("released"));

        LedgerKit.SICK.clear();
        LedgerKit.SICK.add("node-b"); // node-b fails too: node-a is cooling down and must not take it back
        await("node-b released", Duration.ofSeconds(10), () -> events.stream().anyMatch(e -> e.node().equals("node-b")
                && e.kind() == EventKind.LEASE && e.outcome().equals("released")));
        Thread.sleep(2000);
        assertThat(LedgerKit.holders(SERVICE)).isEmpty();
        assertThat(a.cluster.role(SERVICE)).isEqualTo(ClusterNode.Role.STANDBY);
        assertThat(b.cluster.role(SERVICE)).isEqualTo(ClusterNode.Role.STANDBY);
    }

    @Test
    void failoversPastTheLimitLeaveTheServiceFailedWhereItIs() throws Exception {
        Path file = config("max-failovers = 0");
        start(file, "node-a");
        await("node-a in service", Duration.ofSeconds(10), () -> healthyOn("node-a"));
        Node b = start(file, "node-b");

        LedgerKit.SICK.add("node-a");
        await("limit reached", Duration.ofSeconds(10), () -> events.stream().anyMatch(e -> e.node().equals("node-a")
                && e.kind() == EventKind.LEASE && e.outcome().equals("kept")));
        Thread.sleep(1500);
        assertThat(b.cluster.status().services().get(0).holder()).isEqualTo("node-a");
        assertThat(LedgerKit.RESTORES).containsExactly("node-a@1");
    }

    @Test
    void aSwitchoverRequestedOnTheStandbyMovesTheServiceGracefully() throws Exception {
        Path file = config("");
        start(file, "node-a");
        await("node-a in service", Duration.ofSeconds(10), () -> healthyOn("node-a"));
        Node b = start(file, "node-b");
        Thread.sleep(300);

        long asked = System.nanoTime();
        b.cluster.switchover(SERVICE, "node-b");
        await("node-b in service", Duration.ofSeconds(5), () -> LedgerKit.holders(SERVICE).equals(Set.of("node-b")));

        assertThat(Duration.ofNanos(System.nanoTime() - asked)).as("well before any lease expiry")
                .isLessThan(Duration.ofMillis(1000));
        assertThat(LedgerKit.RESTORES).containsExactly("node-a@1", "node-b@2");
        assertThat(events).anyMatch(e -> e.node().equals("node-a") && e.kind() == EventKind.LEASE
                && e.outcome().equals("handed-over"));
    }

    @Test
    void maintenanceStopsEveryAutomaticAction() throws Exception {
        Path file = config("");
        Node a = start(file, "node-a");
        await("node-a in service", Duration.ofSeconds(10), () -> healthyOn("node-a"));
        Node b = start(file, "node-b");
        Thread.sleep(300);

        a.cluster.maintenance(SERVICE, true);
        await("monitors paused", Duration.ofSeconds(5), () -> events.stream().anyMatch(e -> e.node().equals("node-a")
                && e.kind() == EventKind.ADMIN && e.outcome().equals("maintenance-on")));
        LedgerKit.SICK.add("node-a"); // would fail over, but the monitors are paused
        Thread.sleep(800);
        assertThat(LedgerKit.holders(SERVICE)).containsExactly("node-a");
        crash(a); // and no takeover either
        Thread.sleep(2500);
        assertThat(LedgerKit.holders(SERVICE)).isEmpty();
        assertThat(b.cluster.role(SERVICE)).isEqualTo(ClusterNode.Role.STANDBY);

        b.cluster.maintenance(SERVICE, false);
        await("node-b in service", Duration.ofSeconds(5), () -> LedgerKit.holders(SERVICE).equals(Set.of("node-b")));
    }

    @Test
    void automaticSwitchbackReturnsTheServiceToTheBetterNode() throws Exception {
        Path file = config("switchback = automatic, switchback-after = 500ms");
        start(file, "node-b");
        await("node-b in service", Duration.ofSeconds(10), () -> healthyOn("node-b"));
        start(file, "node-a");

        await("node-a in service", Duration.ofSeconds(10), () -> LedgerKit.holders(SERVICE).equals(Set.of("node-a")));
        assertThat(LedgerKit.RESTORES).containsExactly("node-b@1", "node-a@2");
    }

    @Test
    void intelligentSwitchbackLeavesTheServiceWhereItIs() throws Exception {
        Path file = config("switchback = intelligent, switchback-after = 500ms");
        start(file, "node-b");
        await("node-b in service", Duration.ofSeconds(10), () -> healthyOn("node-b"));
        start(file, "node-a");

        Thread.sleep(2500);
        assertThat(LedgerKit.holders(SERVICE)).containsExactly("node-b");
        assertThat(LedgerKit.RESTORES).containsExactly("node-b@1");
    }
}
