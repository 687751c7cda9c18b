package dev.kawari.testkit.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kawari.engine.cluster.EmbeddedCoordinator;
import dev.kawari.spi.KawariException;
import dev.kawari.spi.cluster.Coordinator;
import dev.kawari.spi.cluster.LeaseRecord;
import dev.kawari.testkit.CoordinatorContractTest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded (single-host) coordinator keeps the coordinator contract. */
class EmbeddedCoordinatorIT extends CoordinatorContractTest {
    @TempDir
    Path dir;

    @Override
    protected Coordinator coordinator() {
        EmbeddedCoordinator coordinator = new EmbeddedCoordinator(dir.resolve("cluster"));
        coordinator.prepare();
        return coordinator;
    }

    @Test
    void nothingIsCreatedWithoutPrepare() {
        EmbeddedCoordinator unprepared = new EmbeddedCoordinator(dir.resolve("missing"));
        assertThatThrownBy(() -> unprepared.read("svc"))
                .isInstanceOf(KawariException.class)
                .hasMessageContaining("create-table")
                .matches(e -> ((KawariException) e).code().equals(Coordinator.NOT_PREPARED));
        assertThat(dir.resolve("missing")).doesNotExist();
        assertThat(unprepared.prepare()).startsWith("created directory");
        assertThat(unprepared.read("svc")).isEmpty();
    }

    @Test
    void aRecordSurvivesAsWrittenAcrossInstances() {
        Coordinator first = coordinator();
        LeaseRecord record = LeaseRecord.unheld("svc").acquiredBy("node-a").withMaintenance(true);
        assertThat(first.create(record)).isTrue();
        assertThat(coordinator().read("svc")).contains(record);
    }
}
