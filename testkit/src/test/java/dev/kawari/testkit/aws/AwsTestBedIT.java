package dev.kawari.testkit.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;

/** The AWS test bed itself: the endpoint, the topology, the fault injector and the IMDS stub. */
class AwsTestBedIT {
    @RegisterExtension
    static final AwsEndpointExtension aws = new AwsEndpointExtension();

    @Test
    void theEndpointAnswersAndIsEmptyAtTheStartOfEveryTest() {
        try (Ec2Client ec2 = aws.endpoint().ec2()) {
            String vpc = ec2.createVpc(request -> request.cidrBlock("10.1.0.0/16")).vpc().vpcId();
            assertThat(ec2.describeVpcs().vpcs()).anyMatch(found -> found.vpcId().equals(vpc));

            aws.endpoint().reset();

            assertThat(ec2.describeVpcs().vpcs()).noneMatch(found -> found.vpcId().equals(vpc));
        }
    }

    @Test
    void theTopologyHasTwoNodesInTwoZonesThreeTablesAndAnAddress() {
        try (Ec2Client ec2 = aws.endpoint().ec2()) {
            Ec2Topology topology = Ec2Topology.create(ec2);

            assertThat(topology.subnets()).extracting(Ec2Topology.Subnet::availabilityZone)
                    .containsExactly("us-east-1a", "us-east-1b");
            assertThat(topology.nodes()).extracting(Ec2Topology.Node::availabilityZone)
                    .containsExactly("us-east-1a", "us-east-1b");
            assertThat(topology.nodes()).allSatisfy(node -> {
                assertThat(node.instanceId()).startsWith("i-");
                assertThat(node.eni()).startsWith("eni-");
                assertThat(node.mac()).matches("[0-9a-f]{2}(:[0-9a-f]{2}){5}");
            });
            assertThat(topology.routeTableIds()).hasSize(3);
            assertThat(topology.routeTargets(ec2, "198.51.100.10/32")).hasSize(4).allSatisfy((table, target) ->
                    assertThat(target).isEmpty());
            assertThat(topology.address().allocationId()).startsWith("eipalloc-");
            assertThat(Ec2Topology.associatedEni(ec2, topology.address().allocationId())).isEmpty();
            assertThat(topology.nodesHocon("us-east-1", Map.of("node-a", "eth0"))).contains("node-a {")
                    .contains("interface = \"eth0\"").contains(topology.nodeB().eni());
        }
    }

    @Test
    void theFaultInjectorThrottlesFailsSlowsAndPassesOnCommand() throws Exception {
        try (AwsFaultInjector faults = AwsFaultInjector.start(aws.endpoint().uri());
                Ec2Client ec2 = Ec2Client.builder()
                        .endpointOverride(faults.uri())
                        .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                        .credentialsProvider(() -> software.amazon.awssdk.auth.credentials.AwsBasicCredentials
                                .create("testing", "testing"))
                        .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                        .overrideConfiguration(o -> o.retryStrategy(
                                software.amazon.awssdk.awscore.retry.AwsRetryStrategy.doNotRetry())
                                .apiCallTimeout(Duration.ofSeconds(20)))
                        .build()) {
            assertThat(ec2.describeVpcs().vpcs()).isNotNull();

            faults.throttleAll();
            AwsServiceException throttled = catchThrowableOfType(AwsServiceException.class, ec2::describeVpcs);
            assertThat(throttled.statusCode()).isEqualTo(503);
            assertThat(throttled.awsErrorDetails().errorCode()).isEqualTo("RequestLimitExceeded");
            assertThat(throttled.isThrottlingException()).isTrue();
            assertThat(throttled.requestId()).startsWith("kawari-fault-");

            faults.passAll();
            faults.fail(request -> request.is("DescribeRouteTables") && request.parameter("RouteTableId.1")
                    .equals("rtb-0123456789abcdef0"), AwsFaultInjector.Fault.error(403, "UnauthorizedOperation", "no"));
            assertThat(ec2.describeVpcs().vpcs()).isNotNull();
            Ec2Exception refused = catchThrowableOfType(Ec2Exception.class, () -> ec2.describeRouteTables(request ->
                    request.routeTableIds("rtb-0123456789abcdef0")));
            assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("UnauthorizedOperation");

            faults.passAll();
            faults.slowAll(Duration.ofSeconds(30));
            long start = System.nanoTime();
            assertThat(catchThrowableOfType(SdkClientException.class, () -> ec2.describeVpcs(request -> request
                    .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(1)))))).isNotNull();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));

            faults.passAll();
            assertThat(ec2.describeVpcs().vpcs()).isNotNull();
            assertThat(faults.faulted("DescribeVpcs")).isEqualTo(1);
            assertThat(faults.forwarded("DescribeVpcs")).isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void theImdsStubServesOnlyRequestsWithAToken() throws Exception {
        try (ImdsStub imds = ImdsStub.start()) {
            imds.serve(new Ec2Topology.Node("node-a", "i-0123456789abcdef0", "eni-0123456789abcdef0",
                    "02:00:00:aa:bb:cc", "10.0.1.4", "us-east-1a"), "us-east-1", "vpc-0123456789abcdef0");

            assertThat(status(imds.uri(), "GET", "/latest/meta-data/instance-id", Optional.empty(), Optional.empty()))
                    .isEqualTo(401);
            assertThat(status(imds.uri(), "PUT", "/latest/api/token", Optional.empty(), Optional.empty())).isEqualTo(400);
            String token = body(imds.uri(), "PUT", "/latest/api/token", Optional.empty(), Optional.of("60"));
            assertThat(body(imds.uri(), "GET", "/latest/meta-data/network/interfaces/macs/02:00:00:aa:bb:cc/interface-id",
                    Optional.of(token), Optional.empty())).isEqualTo("eni-0123456789abcdef0");
            assertThat(imds.tokenlessRequests()).isEqualTo(1);
            assertThat(imds.tokensIssued()).isEqualTo(1);
        }
    }

    private static HttpURLConnection open(URI base, String method, String path, Optional<String> token,
            Optional<String> ttl) throws Exception {
        HttpURLConnection connection = (HttpURLConnection) base.resolve(path).toURL().openConnection();
        connection.setRequestMethod(method);
        token.ifPresent(value -> connection.setRequestProperty("X-aws-ec2-metadata-token", value));
        ttl.ifPresent(value -> connection.setRequestProperty("X-aws-ec2-metadata-token-ttl-seconds", value));
        return connection;
    }

    private static int status(URI base, String method, String path, Optional<String> token, Optional<String> ttl)
            throws Exception {
        HttpURLConnection connection = open(base, method, path, token, ttl);
        try {
            return connection.getResponseCode();
        } finally {
            connection.disconnect();
        }
    }

    private static String body(URI base, String method, String path, Optional<String> token, Optional<String> ttl)
            throws Exception {
        HttpURLConnection connection = open(base, method, path, token, ttl);
        try {
            assertThat(connection.getResponseCode()).isEqualTo(200);
            return new String(connection.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } finally {
            connection.disconnect();
        }
    }

    @Test
    void aNamespaceIsJoinedToTheHostAndFullyRemoved() {
        String name;
        try (NetworkNamespace namespace = NetworkNamespace.create()) {
            name = namespace.name();
            assertThat(namespace.addresses()).containsExactly(namespace.namespaceAddress().getHostAddress() + "/30");
            namespace.addAddress("198.51.100.10/32");
            assertThat(namespace.addresses()).contains("198.51.100.10/32");
        }
        assertThat(NetworkNamespace.run(java.util.List.of("ip", "netns", "list"))).doesNotContain(name);
    }
}
