package dev.kawari.testkit.aws;

import java.util.Optional;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/** LocalStack through Testcontainers: used only where a Docker engine answers; never required. */
final class LocalStackEndpoint {
    private static final DockerImageName IMAGE = DockerImageName.parse("localstack/localstack:4.0.3");

    private LocalStackEndpoint() {
    }

    /** A started LocalStack, stopped when the JVM ends; empty when Docker does not answer. */
    @SuppressWarnings("resource") // stopped by the shutdown hook
    static Optional<AwsEndpoint> start() {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            return Optional.empty();
        }
        LocalStackContainer container = new LocalStackContainer(IMAGE)
                .withServices(LocalStackContainer.Service.EC2, LocalStackContainer.Service.STS,
                        LocalStackContainer.Service.ROUTE53);
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "kawari-localstack-stop"));
        return Optional.of(new AwsEndpoint(container.getEndpoint(), container.getRegion(), container.getAccessKey(),
                container.getSecretKey(), AwsEndpoint.Kind.LOCALSTACK));
    }
}
