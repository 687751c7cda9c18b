package dev.kawari.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kawari.engine.config.KawariConfig;
import dev.kawari.engine.config.MonitorSpec;
import dev.kawari.engine.config.NodeSpec;
import dev.kawari.engine.config.ResourceSpec;
import dev.kawari.engine.config.ServiceSpec;
import dev.kawari.engine.event.Event;
import dev.kawari.engine.event.EventBus;
import dev.kawari.engine.event.EventKind;
import dev.kawari.engine.tree.State;
import dev.kawari.spi.CheckResult;
import dev.kawari.spi.Monitor;
import dev.kawari.spi.NodeIdentity;
import dev.kawari.spi.OperationContext;
import dev.kawari.spi.Resource;
import dev.kawari.spi.Sleeper;
import dev.kawari.spi.TimeSource;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The recovery ladder end to end on real engine threads, with short monitor intervals. */
class LocalNodeTest {
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final AtomicBoolean up = new AtomicBoolean();
    private final AtomicInteger recoveries = new AtomicInteger();
    private final AtomicInteger checks = new AtomicInteger();
    private final AtomicReference<CheckResult> forced = new AtomicReference<>();
    private LocalNode node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    private final Resource app = new Resource() {
        @Override
        public void restore(OperationContext context) {
            up.set(true);
        }

        @Override
        public void remove(OperationContext context) {
            up.set(false);
        }

        @Override
        public void recover(OperationContext context) {
            recoveries.incrementAndGet();
            up.set(true);
        }

        @Override
        public CheckResult check(OperationContext context) {
            return up.get() ? CheckResult.healthy() : CheckResult.unhealthy("app is down");
        }
    };

    private final Monitor probe = context -> {
        checks.incrementAndGet();
        CheckResult result = forced.get();
        if (result != null) {
            return result;
        }
        return up.get() ? CheckResult.healthy() : CheckResult.unhealthy("app does not answer");
    };

    private LocalNode start(int maxLocalRecoveries) {
        MonitorSpec monitor = new MonitorSpec("probe", "test", "app", Duration.ofMillis(30), Duration.ofSeconds(2), 2,
                maxLocalRecoveries, Duration.ofHours(1), probe, "test.conf:5");
        ServiceSpec service = new ServiceSpec("svc",
                List.of(new ResourceSpec("app", "test", List.of(), app, "test.conf:3")), List.of(monitor));
        KawariConfig config = new KawariConfig("test.conf", "test",
                List.of(new NodeSpec(NodeIdentity.named("node-a"), 1)), List.of(service), Optional.empty());
        EventBus bus = new EventBus();
        bus.subscribe(events::add);
        node = new LocalNode(config, config.nodes().get(0), TimeSource.system(), Sleeper.system(), bus);
        node.restoreAll();
        node.startMonitors();
        return node;
    }

    private Event await(Predicate<Event> wanted) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until) {
            Event next = events.poll(100, TimeUnit.MILLISECONDS);
            if (next != null && wanted.test(next)) {
                return next;
            }
        }
        throw new AssertionError("no such event within 10 s");
    }

    @Test
    void verifyLocatesKitProblemsAtTheKeyAndRunsNothing(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = dir.resolve("kawari.conf");
        java.nio.file.Files.writeString(file, "# resource block\nroute-tables = [rtb-1, rtb-2]\naddress = \"10.0.0.5\"\n");
        com.typesafe.config.Config block = com.typesafe.config.ConfigFactory.parseFile(file.toFile());
        Resource checked = new Resource() {
            @Override
            public void restore(OperationContext context) {
                up.set(true);
            }

            @Override
            public void remove(OperationContext context) {
            }

            @Override
            public CheckResult check(OperationContext context) {
                return CheckResult.healthy();
            }

            @Override
            public void verify(OperationContext context, dev.kawari.spi.ProblemReporter problems) {
                problems.problem("address", "address 10.0.0.5 lies inside the VPC's CIDR 10.0.0.0/16");
                problems.problem("no-such-key", "this node has no instance-id");
            }
        };
        ServiceSpec service = new ServiceSpec("svc",
                List.of(new ResourceSpec("vip", "test", List.of(), checked, file + ":1", block)), List.of());
        KawariConfig config = new KawariConfig("test.conf", "test",
                List.of(new NodeSpec(NodeIdentity.named("node-a"), 1)), List.of(service), Optional.empty());
        node = new LocalNode(config, config.nodes().get(0), TimeSource.system(), Sleeper.system(), new EventBus());

        org.assertj.core.api.Assertions.assertThatThrownBy(node::verify)
                .isInstanceOfSatisfying(dev.kawari.engine.config.InvalidConfigException.class, invalid ->
                        assertThat(invalid.problems()).extracting(Object::toString).containsExactly(
                                file + ":1: this node has no instance-id",
                                file + ":3: address 10.0.0.5 lies inside the VPC's CIDR 10.0.0.0/16"));
        assertThat(up.get()).isFalse();
    }

    @Test
    void monitorFailureLeadsToLocalRecovery() throws InterruptedException {
        start(3);
        up.set(false);

        await(e -> e.kind() == EventKind.MONITOR_FAILED);
        Event recovered = await(e -> e.kind() == EventKind.RECOVERY && !e.outcome().equals("started"));

        assertThat(recovered.outcome()).isEqualTo("ok");
        assertThat(recoveries.get()).isEqualTo(1);
        assertThat(node.service("svc").orElseThrow().state()).isEqualTo(State.IN_SERVICE);
    }

    @Test
    void failoverIsRequestedWhenLocalRecoveriesAreUsedUp() throws InterruptedException {
        start(1);
        up.set(false);
        await(e -> e.kind() == EventKind.RECOVERY && e.outcome().equals("ok"));
        up.set(false);

        Event failover = await(e -> e.kind() == EventKind.FAILOVER_REQUESTED);

        assertThat(failover.service()).isEqualTo("svc");
        assertThat(recoveries.get()).isEqualTo(1);
        assertThat(node.service("svc").orElseThrow().state()).isEqualTo(State.FAILED);
    }

    @Test
    void unknownResultsNeverTriggerRecovery() throws InterruptedException {
        forced.set(CheckResult.unknown("API throttled"));
        start(3);
        int target = checks.get() + 20;
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (checks.get() < target && System.nanoTime() < until) {
            Thread.sleep(20);
        }

        assertThat(checks.get()).isGreaterThanOrEqualTo(target);
        assertThat(events).noneMatch(e -> e.kind() == EventKind.MONITOR_FAILED || e.kind() == EventKind.RECOVERY);
        assertThat(recoveries.get()).isZero();
    }

    @Test
    void removeAllStopsMonitorsAndTakesEverythingOut() throws InterruptedException {
        start(3);
        await(e -> e.kind() == EventKind.CHECK && e.outcome().equals("healthy"));

        node.removeAll();

        assertThat(up.get()).isFalse();
        assertThat(node.service("svc").orElseThrow().state()).isEqualTo(State.OUT_OF_SERVICE);
        int after = checks.get();
        Thread.sleep(200);
        assertThat(checks.get()).isEqualTo(after);
    }
}
