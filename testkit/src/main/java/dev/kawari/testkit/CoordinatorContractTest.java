package dev.kawari.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kawari.engine.cluster.ServiceLease;
import dev.kawari.engine.config.CoordinatorSpec;
import dev.kawari.spi.cluster.Coordinator;
import dev.kawari.spi.cluster.LeaseRecord;
import dev.kawari.spi.cluster.NodeHeartbeat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every coordinator keeps, driven through the engine's lease algorithm
 * ({@link ServiceLease}) with a fake monotonic clock per node: acquire, renew, expiry, takeover,
 * self-fencing, hand-over, operator edits, and atomic conditional writes under concurrency.
 * Extend it with {@link #coordinator()} returning a fresh, prepared coordinator.
 */
public abstract class CoordinatorContractTest {
    /** Lease 10 s, safety margin 3 s, renew 2 s, poll 1 s, takeover margin 1 s. */
    protected static final Duration LEASE = Duration.ofSeconds(10);

    private final List<Coordinator> opened = new ArrayList<>();
    private Coordinator store;
    private final FakeClock clockA = new FakeClock();
    private final FakeClock clockB = new FakeClock();
    private int serviceCount;

    /** A coordinator over an empty, prepared store; each call may return a new client of the same store(). */
    protected abstract Coordinator coordinator() throws Exception;

    @BeforeEach
    void separateClocks() {
        // Different origins on purpose: nodes' monotonic clocks are never compared.
        clockB.advance(Duration.ofHours(5));
    }

    /** Opened on first use, so that subclasses' own set-up (which JUnit runs after this class's) comes first. */
    private Coordinator store() {
        if (store == null) {
            try {
                store = open();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return store;
    }

    @AfterEach
    void closeStores() {
        opened.forEach(Coordinator::close);
    }

    private Coordinator open() throws Exception {
        Coordinator coordinator = coordinator();
        opened.add(coordinator);
        return coordinator;
    }

    private String freshService() {
        return "svc-" + (++serviceCount) + "-" + System.nanoTime();
    }

    private static CoordinatorSpec timings(Coordinator coordinator) {
        return new CoordinatorSpec("test", LEASE, Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofSeconds(1),
                Duration.ofSeconds(1), coordinator, "test");
    }

    private ServiceLease lease(String service, String node, FakeClock clock) {
        return new ServiceLease(service, node, store(), timings(store()), clock);
    }

    @Test
    void acquiringAnUnwrittenLeaseStartsAtEpochOne() {
        String service = freshService();
        ServiceLease a = lease(service, "node-a", clockA);
        assertThat(a.observe().record()).isEmpty();

        Optional<LeaseRecord> acquired = a.acquire();

        assertThat(acquired).get().extracting(LeaseRecord::holder, LeaseRecord::epoch).containsExactly("node-a", 1L);
        assertThat(store().read(service)).get().extracting(LeaseRecord::holder).isEqualTo("node-a");
    }

    @Test
    void onlyOneOfTwoContendersWinsTheSameVersion() {
        String service = freshService();
        ServiceLease a = lease(service, "node-a", clockA);
        ServiceLease b = lease(service, "node-b", clockB);
        a.observe();
        b.observe();

        assertThat(a.acquire()).isPresent();
        assertThat(b.acquire()).isEmpty();
        assertThat(store().read(service)).get().extracting(LeaseRecord::holder).isEqualTo("node-a");
    }

    @Test
    void renewalChangesTheVersionAndKeepsTheEpoch() {
        String service = freshService();
        ServiceLease a = lease(service, "node-a", clockA);
        a.observe();
        LeaseRecord first = a.acquire().orElseThrow();

        assertThat(a.renew()).isEqualTo(ServiceLease.Renewal.RENEWED);

        LeaseRecord stored = store().read(service).orElseThrow();
        assertThat(stored.version()).isNotEqualTo(first.version());
        assertThat(stored.epoch()).isEqualTo(first.epoch());
    }

    @Test
    void aContenderWaitsForTheVersionToStandStillForTheWholeLease() {
        String service = freshService();
        ServiceLease a = lease(service, "node-a", clockA);
        ServiceLease b = lease(service, "node-b", clockB);
        a.observe();
        a.acquire().orElseThrow();

        ServiceLease.Observation first = b.observe();
        assertThat(first.unchangedNanos()).isZero();
        for (int i = 0; i < 10; i++) { // the holder renews every 2 s for 20 s: the version keeps changing
            clockA.advance(Duration.ofSeconds(2));
            clockB.advance(Duration.ofSeconds(2));
            assertThat(a.renew()).isEqualTo(ServiceLease.Renewal.RENEWED);
            assertThat(b.observe().unchangedNanos()).isLessThan(LEASE.toNanos());
        }
        // the holder stops renewing: expiry is seen only after the lease duration on B's own clock
        clockB.advance(Duration.ofSeconds(9));
        assertThat(b.observe().unchangedNanos()).isLessThan(LEASE.toNanos());
        clockB.advance(Duration.ofSeconds(2));
        assertThat(b.observe().unchangedNanos()).isGreaterThanOrEqualTo(LEASE.plusSeconds(1).toNanos());
    }

    @Test
    void takeoverIncrementsTheEpochAndTheOldHolderLosesItsLease() {
        String service = freshService();
        ServiceLease a = lease(service, "node-a", clockA);
        ServiceLease b = lease(service, "node-b", clockB);
        a.observe();
        long epoch = a.acquire().orElseThrow().epoch();
        b.observe();
        clockB.advance(LEASE.plusSeconds(1));
        b.observe();

        LeaseRecord taken = b.acquire().orElseThrow();

        assertThat(taken.epoch()).isEqualTo(epoch + 1);
        assertThat(taken.holder()).isEqualTo("node-b");
        assertThat(a.renew()).isEqualTo(ServiceLease.Renewal.LOST);
        assertThat(a.holding()).isFalse();
    }

    @Test
    void theHolderMustFenceBeforeAnyContenderMayTakeOver() {
        String service = freshService();
        ServiceLease a = lease(service, "node-a", clockA);
        ServiceLease b = lease(service, "node-b", clockB);
        a.observe();
        a.acquire().orElseThrow();
        b.observe(); // B starts watching right after A's last successful write

        // A cannot renew from now on (cut off): it must fence at lease - safety margin = 7 s
        clockA.advance(Duration.ofSeconds(6));
        assertThat(a.fenceDue()).isFalse();
        clockA.advance(Duration.ofSeconds(1));
        assertThat(a.fenceDue()).isTrue();
        // B, on its own clock, may take over only at lease + margin = 11 s, 4 s after A fenced
        clockB.advance(Duration.ofSeconds(7));
        assertThat(b.observe().unchangedNanos()).isLessThan(LEASE.plusSeconds(1).toNanos());
        clockB.advance(Duration.ofSeconds(4));
        assertThat(b.observe().unchangedNanos()).isGreaterThanOrEqualTo(LEASE.plusSeconds(1).toNanos());
    }

    @Test
    void aHandOverFreesTheLeaseForTheNamedSuccessor() {
        String service = freshService();
        ServiceLease a = lease(service, "node-a", clockA);
        ServiceLease b = lease(service, "node-b", clockB);
        a.observe();
        long epoch = a.acquire().orElseThrow().epoch();

        assertThat(a.release("node-b")).isTrue();

        LeaseRecord handed = b.observe().record().orElseThrow();
        assertThat(handed.free()).isTrue();
        assertThat(handed.successor()).isEqualTo("node-b");
        assertThat(b.acquire()).get().extracting(LeaseRecord::holder, LeaseRecord::epoch, LeaseRecord::successor)
                .containsExactly("node-b", epoch + 1, "");
    }

    @Test
    void anOperatorEditKeepsTheLeaseWithItsHolder() {
        String service = freshService();
        ServiceLease a = lease(service, "node-a", clockA);
        a.observe();
        a.acquire().orElseThrow();

        ServiceLease.edit(store(), service, record -> record.withMaintenance(true));

        assertThat(a.renew()).isEqualTo(ServiceLease.Renewal.RENEWED);
        assertThat(a.held()).get().extracting(LeaseRecord::maintenance).isEqualTo(true);
        assertThat(store().read(service)).get().extracting(LeaseRecord::holder).isEqualTo("node-a");
    }

    @Test
    void conditionalWritesAreAtomicUnderConcurrency() throws Exception {
        String service = freshService();
        LeaseRecord initial = LeaseRecord.unheld(service);
        assertThat(store().create(initial)).isTrue();
        assertThat(store().create(LeaseRecord.unheld(service))).isFalse();
        int contenders = 8;
        List<Coordinator> clients = new ArrayList<>();
        for (int i = 0; i < contenders; i++) {
            clients.add(open());
        }
        for (int round = 0; round < 5; round++) {
            LeaseRecord current = store().read(service).orElseThrow();
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(contenders);
            try {
                List<Future<Boolean>> wins = new ArrayList<>();
                for (int i = 0; i < contenders; i++) {
                    Coordinator client = clients.get(i);
                    String node = "node-" + i;
                    wins.add(pool.submit(() -> {
                        go.await();
                        return client.replace(current.version(), current.acquiredBy(node));
                    }));
                }
                go.countDown();
                int won = 0;
                for (Future<Boolean> win : wins) {
                    won += win.get() ? 1 : 0;
                }
                assertThat(won).as("round " + round).isEqualTo(1);
            } finally {
                pool.shutdownNow();
            }
            assertThat(store().read(service).orElseThrow().epoch()).isEqualTo(current.epoch() + 1);
        }
    }

    @Test
    void heartbeatsAreReadBack() {
        NodeHeartbeat beat = NodeHeartbeat.beat("node-a", Map.of("admin", "loopback"));
        store().heartbeat(beat);
        assertThat(store().heartbeat("node-a")).contains(beat);
        assertThat(store().heartbeat("node-never")).isEmpty();
    }
}
