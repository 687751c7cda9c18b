package dev.kawari.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kawari.spi.Deadline;
import dev.kawari.spi.KawariException;
import dev.kawari.spi.NodeIdentity;
import dev.kawari.spi.TimeSource;
import dev.kawari.testkit.aws.Ec2Topology;
import dev.kawari.testkit.aws.ImdsStub;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** IMDSv2 (the test kit's stub, over real HTTP) and node identity from configuration or from it. */
class InstanceMetadataIT {
    private static final Ec2Topology.Node NODE = new Ec2Topology.Node("node-a", "i-0123456789abcdef0",
            "eni-0123456789abcdef0", "02:00:00:aa:bb:cc", "10.0.1.4", "us-east-1a");

    private ImdsStub imds;

    @BeforeEach
    void start() throws Exception {
        imds = ImdsStub.start();
        imds.serve(NODE, "us-east-1", "vpc-0123456789abcdef0");
    }

    @AfterEach
    void stop() {
        imds.close();
    }

    private Ec2Nodes nodes(InstanceMetadata metadata) {
        return new Ec2Nodes(metadata, InterfaceAddresses.system());
    }

    private static Deadline deadline() {
        return Deadline.after(Duration.ofSeconds(10), TimeSource.system());
    }

    @Test
    void readsTheInstanceWithASessionTokenOnly() {
        InstanceMetadata.Facts facts = InstanceMetadata.at(imds.uri()).read();

        assertThat(facts).isEqualTo(new InstanceMetadata.Facts(NODE.instanceId(), "us-east-1", NODE.mac(), NODE.eni()));
        assertThat(imds.tokensIssued()).isEqualTo(1);
        assertThat(imds.tokenlessRequests()).isZero();
    }

    @Test
    void aServiceThatDoesNotAnswerFailsFastWithoutFallingBack() throws Exception {
        URI closed = imds.uri();
        imds.close();
        long start = System.nanoTime();

        KawariException failure = catchThrowableOfType(KawariException.class, () -> InstanceMetadata.at(closed).read());

        assertThat(failure.code()).isEqualTo(AwsErrorCodes.NODE_IDENTITY_UNKNOWN);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void theEndpointComesFromTheEnvironmentAndCanBeTurnedOff() {
        assertThat(InstanceMetadata.fromSettings(name -> name.equals(InstanceMetadata.ENDPOINT_VARIABLE)
                ? Optional.of(imds.uri() + "/") : Optional.empty()).endpoint()).contains(imds.uri());
        assertThat(InstanceMetadata.fromSettings(name -> Optional.empty()).endpoint())
                .contains(URI.create("http://169.254.169.254"));
        assertThat(InstanceMetadata.fromSettings(name -> name.equals("AWS_EC2_METADATA_DISABLED")
                ? Optional.of("true") : Optional.empty()).endpoint()).isEmpty();
    }

    @Test
    void aCompletelyConfiguredNodeNeverAsksImds() {
        Ec2Node node = nodes(InstanceMetadata.at(imds.uri())).resolve(new NodeIdentity("node-a", Map.of(
                "eni", "eni-0fedcba9876543210", "region", "eu-west-1", "interface", "ens5")), Optional.empty(), true,
                deadline());

        assertThat(node).isEqualTo(new Ec2Node("node-a", Optional.empty(), "eu-west-1", "eni-0fedcba9876543210",
                Optional.of("ens5")));
        assertThat(imds.tokensIssued()).isZero();
    }

    @Test
    void missingAttributesComeFromImdsAndTheRegionFromTheAwsSection() {
        Ec2Nodes nodes = nodes(InstanceMetadata.at(imds.uri()));

        Ec2Node fromImds = nodes.resolve(NodeIdentity.named("node-a"), Optional.empty(), false, deadline());
        Ec2Node regionFromSection = nodes.resolve(new NodeIdentity("node-b", Map.of("eni", "eni-0fedcba9876543210")),
                Optional.of("ap-northeast-1"), false, deadline());

        assertThat(fromImds).isEqualTo(new Ec2Node("node-a", Optional.of(NODE.instanceId()), "us-east-1", NODE.eni(),
                Optional.empty()));
        assertThat(regionFromSection.region()).isEqualTo("ap-northeast-1");
        assertThat(imds.tokenlessRequests()).isZero();
    }

    @Test
    void whenImdsIsReadItsRegionBeatsTheAwsSectionsDefault() {
        Ec2Node drNode = nodes(InstanceMetadata.at(imds.uri())).resolve(NodeIdentity.named("node-a"),
                Optional.of("ap-northeast-1"), false, deadline());
        Ec2Node configured = nodes(InstanceMetadata.at(imds.uri())).resolve(new NodeIdentity("node-a",
                Map.of("region", "eu-west-1")), Optional.of("ap-northeast-1"), false, deadline());

        assertThat(drNode.region()).isEqualTo("us-east-1");
        assertThat(configured.region()).isEqualTo("eu-west-1");
    }

    @Test
    void aNodeConfiguredAsAnotherInstanceIsRefused() {
        KawariException failure = catchThrowableOfType(KawariException.class, () -> nodes(InstanceMetadata.at(imds.uri())).resolve(
                new NodeIdentity("node-b", Map.of("instance-id", "i-0fedcba9876543210")), Optional.empty(), false,
                deadline()));

        assertThat(failure.code()).isEqualTo(AwsErrorCodes.NODE_IDENTITY_UNKNOWN);
        assertThat(failure.getMessage()).contains("i-0fedcba9876543210").contains(NODE.instanceId()).contains("--node");
    }

    @Test
    void withoutImdsTheMessageNamesWhatToConfigure() {
        URI closed = imds.uri();
        imds.close();

        KawariException failure = catchThrowableOfType(KawariException.class, () -> nodes(InstanceMetadata.at(closed)).resolve(
                NodeIdentity.named("node-a"), Optional.empty(), true, deadline()));

        assertThat(failure.getMessage()).contains("node 'node-a'").contains("eni, region, interface")
                .contains("kawari.nodes.node-a").contains("IMDSv2");
    }
}
