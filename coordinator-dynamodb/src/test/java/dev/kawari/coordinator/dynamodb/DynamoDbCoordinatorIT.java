package dev.kawari.coordinator.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kawari.aws.AwsClients;
import dev.kawari.aws.AwsSettings;
import dev.kawari.spi.KawariException;
import dev.kawari.spi.cluster.Coordinator;
import dev.kawari.spi.cluster.LeaseRecord;
import dev.kawari.testkit.CoordinatorContractTest;
import dev.kawari.testkit.aws.AwsEndpoint;
import dev.kawari.testkit.aws.AwsEndpointExtension;
import dev.kawari.testkit.aws.AwsFaultInjector;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The DynamoDB coordinator keeps the coordinator contract against moto_server's DynamoDB. moto
 * evaluates a condition and writes in two steps that concurrent requests interleave, so the requests
 * go through a proxy that forwards one at a time ({@link AwsFaultInjector#serialize()}), which makes
 * every conditional write atomic as DynamoDB's are. The same proxy cuts a client off.
 */
class DynamoDbCoordinatorIT extends CoordinatorContractTest {
    @RegisterExtension
    static final AwsEndpointExtension aws = new AwsEndpointExtension();

    private AwsFaultInjector proxy;
    private AwsEndpoint endpoint;

    @BeforeEach
    void startProxy(AwsEndpoint endpoint) throws Exception {
        this.endpoint = endpoint;
        proxy = AwsFaultInjector.start(endpoint.uri()).serialize();
    }

    @AfterEach
    void stopProxy() {
        proxy.close();
    }

    @Override
    protected Coordinator coordinator() {
        DynamoDbCoordinator coordinator = at(proxy.uri(), "kawari-leases");
        coordinator.prepare();
        return coordinator;
    }

    private DynamoDbCoordinator at(URI uri, String table) {
        AwsSettings settings = new AwsSettings(Optional.of(endpoint.region()), Map.of("dynamodb", uri),
                Optional.empty(), Optional.empty(), Optional.empty());
        return new DynamoDbCoordinator(AwsClients.lease(settings), endpoint.region(), table, "test-cluster",
                Duration.ofSeconds(2));
    }

    @Test
    void aMissingTableIsAnErrorNamingTheCommandNeverCreatedSilently() {
        try (DynamoDbCoordinator missing = at(proxy.uri(), "not-created")) {
            assertThatThrownBy(() -> missing.read("svc"))
                    .isInstanceOf(KawariException.class)
                    .hasMessageContaining("kawari coordinator create-table")
                    .matches(e -> ((KawariException) e).code().equals(Coordinator.NOT_PREPARED));
            assertThatThrownBy(() -> missing.create(LeaseRecord.unheld("svc")))
                    .hasMessageContaining("does not exist");
            assertThat(missing.prepare()).startsWith("created DynamoDB table not-created");
            assertThat(missing.prepare()).endsWith("exists");
            assertThat(missing.read("svc")).isEmpty();
        }
    }

    @Test
    void aCutOffClientSeesTheCoordinatorUnavailable() {
        Coordinator coordinator = coordinator();
        proxy.cutOff();
        assertThatThrownBy(() -> coordinator.read("svc"))
                .isInstanceOf(KawariException.class)
                .matches(e -> ((KawariException) e).code().equals(Coordinator.UNAVAILABLE))
                .matches(e -> ((KawariException) e).retryable());
        proxy.passAll();
        assertThat(coordinator.read("svc")).isEmpty();
    }

    @Test
    void clustersSharingATableDoNotSeeEachOthersLeases() {
        Coordinator mine = coordinator();
        AwsSettings settings = new AwsSettings(Optional.of(endpoint.region()), Map.of("dynamodb", proxy.uri()),
                Optional.empty(), Optional.empty(), Optional.empty());
        try (DynamoDbCoordinator other = new DynamoDbCoordinator(AwsClients.lease(settings), endpoint.region(),
                "kawari-leases", "other-cluster", Duration.ofSeconds(2))) {
            assertThat(mine.create(LeaseRecord.unheld("svc").acquiredBy("node-a"))).isTrue();
            assertThat(other.read("svc")).isEmpty();
        }
    }
}
