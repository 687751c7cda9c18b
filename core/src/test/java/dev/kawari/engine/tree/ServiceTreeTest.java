package dev.kawari.engine.tree;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kawari.engine.config.ResourceSpec;
import dev.kawari.engine.config.ServiceSpec;
import dev.kawari.engine.event.Event;
import dev.kawari.engine.event.EventBus;
import dev.kawari.engine.event.EventKind;
import dev.kawari.engine.event.EventRecorder;
import dev.kawari.spi.CheckResult;
import dev.kawari.spi.ErrorCode;
import dev.kawari.spi.NodeIdentity;
import dev.kawari.spi.Sleeper;
import dev.kawari.spi.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ServiceTreeTest {
    private final ExecutorService workers = Executors.newCachedThreadPool();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final List<String> journal = ScriptedResource.newJournal();
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final Map<String, ScriptedResource> resources = new LinkedHashMap<>();
    private final List<ResourceSpec> specs = new ArrayList<>();

    @AfterEach
    void stopThreads() {
        workers.shutdownNow();
        timers.shutdownNow();
    }

    private ScriptedResource resource(String id, String... dependsOn) {
        ScriptedResource resource = new ScriptedResource(id, journal);
        resources.put(id, resource);
        specs.add(new ResourceSpec(id, "scripted", List.of(dependsOn), resource, "test.conf:1"));
        return resource;
    }

    private ServiceTree tree() {
        EventBus bus = new EventBus();
        bus.subscribe(events::add);
        EventRecorder recorder = new EventRecorder(bus, TimeSource.system(), "test", "node-a", service -> 7L);
        ActionRunner runner = new ActionRunner(workers, timers, TimeSource.system(), Sleeper.system(),
                NodeIdentity.named("node-a"), recorder);
        return new ServiceTree(new ServiceSpec("svc", specs, List.of()), runner, recorder);
    }

    @Test
    void restoreGoesBottomUpAndRemoveTopDown() {
        resource("disk");
        resource("address");
        resource("database", "disk", "address");
        resource("app", "database");
        ServiceTree tree = tree();

        TreeOutcome restored = tree.restore(List.of());
        assertThat(restored.ok()).isTrue();
        assertThat(journal.indexOf("restore database")).isGreaterThan(journal.indexOf("restore disk"))
                .isGreaterThan(journal.indexOf("restore address"));
        assertThat(journal.indexOf("restore app")).isGreaterThan(journal.indexOf("restore database"));
        assertThat(tree.resources()).allMatch(r -> r.state() == State.IN_SERVICE);

        journal.clear();
        TreeOutcome removed = tree.remove(List.of());
        assertThat(removed.ok()).isTrue();
        assertThat(journal.get(0)).isEqualTo("remove app");
        assertThat(journal.get(1)).isEqualTo("remove database");
        assertThat(journal.subList(2, 4)).containsExactlyInAnyOrder("remove disk", "remove address");
        assertThat(tree.resources()).allMatch(r -> r.state() == State.OUT_OF_SERVICE);
    }

    @Test
    void independentBranchesRestoreInParallel() {
        // Both restores wait at one gate for each other: run one after the other, the first would fail.
        CountDownLatch gate = new CountDownLatch(2);
        resource("left").restoreGate = gate;
        resource("right").restoreGate = gate;
        resource("top", "left", "right");

        TreeOutcome outcome = tree().restore(List.of());

        assertThat(outcome.failures()).isEmpty();
        assertThat(outcome.succeeded()).containsExactlyInAnyOrder("left", "right", "top");
    }

    @Test
    void failedRestoreRollsBackWhatItBroughtUpInReverseOrder() {
        resource("disk");
        resource("database", "disk");
        resource("app", "database").failRestore = true;
        ServiceTree tree = tree();

        TreeOutcome outcome = tree.restore(List.of());

        assertThat(outcome.ok()).isFalse();
        assertThat(outcome.failures()).singleElement().satisfies(f -> {
            assertThat(f.resource()).isEqualTo("app");
            assertThat(f.code()).isEqualTo(ScriptedResource.SCRIPTED_FAILURE);
        });
        assertThat(journal).containsExactly("restore disk", "restore database", "restore app",
                "remove app", "remove database", "remove disk");
        assertThat(outcome.rolledBack()).containsExactly("app", "database", "disk");
        assertThat(resources.values()).noneMatch(r -> r.up.get());
    }

    @Test
    void failedRestoreStartsNothingNew() {
        resource("base").failRestore = true;
        resource("other");
        resource("top", "base");

        TreeOutcome outcome = tree().restore(List.of());

        assertThat(journal).doesNotContain("restore top");
        assertThat(outcome.skipped()).contains("top");
    }

    @Test
    void actionPastItsTimeoutFailsAndIsInterrupted() {
        ScriptedResource stuck = resource("stuck");
        stuck.hangRestore = true;
        stuck.timeout = Duration.ofMillis(200);
        ServiceTree tree = tree();

        TreeOutcome outcome = tree.restore(List.of());

        assertThat(outcome.failures()).singleElement()
                .satisfies(f -> assertThat(f.code()).isEqualTo(ErrorCode.ACTION_TIMED_OUT));
        assertThat(events).anySatisfy(e -> {
            assertThat(e.kind()).isEqualTo(EventKind.ACTION);
            assertThat(e.outcome()).isEqualTo("timed-out");
            assertThat(e.duration()).isPresent();
        });
    }

    @Test
    void failedRemoveLeavesWhatItDependsOnInService() {
        resource("disk");
        resource("app", "disk").failRemove = true;
        resource("cache");
        ServiceTree tree = tree();
        tree.restore(List.of());

        TreeOutcome outcome = tree.remove(List.of());

        assertThat(outcome.failures()).extracting(TreeOutcome.Failure::resource).containsExactly("app");
        assertThat(outcome.skipped()).containsExactly("disk");
        assertThat(resources.get("disk").up.get()).isTrue();
        assertThat(resources.get("cache").up.get()).isFalse();
        assertThat(tree.resource("app").orElseThrow().state()).isEqualTo(State.FAILED);
    }

    @Test
    void restoreOfOneResourceBringsItsDependenciesOnly() {
        resource("disk");
        resource("app", "disk");
        resource("unrelated");

        TreeOutcome outcome = tree().restore(List.of("app"));

        assertThat(outcome.succeeded()).containsExactly("disk", "app");
        assertThat(journal).doesNotContain("restore unrelated");
    }

    @Test
    void recoveryRemovesDependentsRecoversTargetAndRestoresDependents() {
        resource("disk");
        resource("database", "disk");
        resource("app", "database");
        ServiceTree tree = tree();
        tree.restore(List.of());
        journal.clear();

        TreeOutcome outcome = tree.recover("database");

        assertThat(outcome.ok()).isTrue();
        assertThat(journal).containsExactly("remove app", "recover database", "restore app");
    }

    @Test
    void checksRunEveryResourceAndEventsCarryTheEpoch() {
        resource("disk");
        resource("app", "disk");
        ServiceTree tree = tree();
        tree.restore(List.of("disk"));

        Map<String, CheckResult> results = tree.check(List.of());

        assertThat(results.get("disk")).isEqualTo(CheckResult.healthy());
        assertThat(results.get("app").status()).isEqualTo(CheckResult.Status.UNHEALTHY);
        assertThat(events).isNotEmpty().allSatisfy(e -> assertThat(e.epoch()).isEqualTo(7L));
    }
}
