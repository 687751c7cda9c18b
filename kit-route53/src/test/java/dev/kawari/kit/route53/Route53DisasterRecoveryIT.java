package dev.kawari.kit.route53;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kawari.aws.InstanceMetadata;
import dev.kawari.engine.LocalNode;
import dev.kawari.engine.ServiceRuntime;
import dev.kawari.engine.config.KawariConfig;
import dev.kawari.spi.CheckResult;
import dev.kawari.testkit.aws.AwsEndpoint;
import dev.kawari.testkit.aws.AwsEndpointExtension;
import dev.kawari.testkit.aws.Ec2Topology;
import dev.kawari.testkit.aws.ImdsStub;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.VPCRegion;

/**
 * A disaster-recovery pair across two regions of the emulator: node A in us-east-1, node B in
 * us-west-2, their VPCs joined by inter-region peering, and a private hosted zone associated with
 * both. Each node publishes its own private address, read in its own region; the region of node B
 * comes from its identity (its {@code region} attribute, or IMDSv2), never from {@code
 * kawari.aws.region}.
 */
class Route53DisasterRecoveryIT {
    @RegisterExtension
    static final AwsEndpointExtension aws = new AwsEndpointExtension();

    private static final String EAST = "us-east-1";
    private static final String WEST = "us-west-2";
    private static final String NAME = "files.corp.example.";

    @TempDir
    Path directory;

    private Ec2Client east;
    private Ec2Client west;
    private Route53Client route53;
    private Ec2Topology primary;
    private Ec2Topology recovery;
    private String zoneId;

    @BeforeEach
    void setUp() {
        AwsEndpoint endpoint = aws.endpoint();
        east = endpoint.ec2(EAST);
        west = endpoint.ec2(WEST);
        route53 = endpoint.route53();
        primary = Ec2Topology.builder().elasticIps(0).create(east);
        recovery = Ec2Topology.builder().elasticIps(0).vpcCidr("10.1.0.0/16").create(west);
        String peering = east.createVpcPeeringConnection(request -> request.vpcId(primary.vpcId())
                .peerVpcId(recovery.vpcId()).peerRegion(WEST)).vpcPeeringConnection().vpcPeeringConnectionId();
        west.acceptVpcPeeringConnection(request -> request.vpcPeeringConnectionId(peering));
        zoneId = Route53Fixture.privateZone(route53, "corp.example.", primary.vpcId(), EAST);
        route53.associateVPCWithHostedZone(request -> request.hostedZoneId(zoneId)
                .vpc(vpc -> vpc.vpcId(recovery.vpcId()).vpcRegion(VPCRegion.fromValue(WEST))));
    }

    @AfterEach
    void tearDown() {
        east.close();
        west.close();
        route53.close();
    }

    /** kawari.aws names us-east-1; node B's region is {@code westIdentity} (an attribute, or nothing for IMDSv2). */
    private String config(String westIdentity) {
        Ec2Topology.Node a = primary.nodeA();
        Ec2Topology.Node b = recovery.nodeA();
        return "kawari {\n  cluster = files-dr\n  " + aws.endpoint().awsSectionHocon() + "\n"
                + "  nodes {\n"
                + "    files-east { priority = 1, instance-id = \"" + a.instanceId() + "\", eni = \"" + a.eni()
                + "\", region = \"" + EAST + "\" }\n"
                + "    files-west { priority = 2, instance-id = \"" + b.instanceId() + "\"" + westIdentity + " }\n"
                + "  }\n"
                + "  services.files {\n"
                + "    resources.dns {\n"
                + "      type = route53\n"
                + "      hosted-zone-id = \"" + zoneId + "\"\n"
                + "      name = \"" + NAME + "\"\n"
                + "      ttl = 30s\n"
                + "      client-vpcs = [\n"
                + "        { id = \"" + primary.vpcId() + "\", region = \"" + EAST + "\" }\n"
                + "        { id = \"" + recovery.vpcId() + "\", region = \"" + WEST + "\" }\n"
                + "      ]\n"
                + "    }\n"
                + "    monitors.dns { type = route53, target = dns, interval = 10s }\n"
                + "  }\n"
                + "}\n";
    }

    private List<String> published() {
        return route53.listResourceRecordSets(request -> request.hostedZoneId(zoneId).startRecordName(NAME)
                .startRecordType(RRType.A).maxItems("1")).resourceRecordSets().stream()
                .filter(set -> set.name().equals(NAME) && set.type() == RRType.A)
                .flatMap(set -> set.resourceRecords().stream()).map(ResourceRecord::value).toList();
    }

    private static List<CheckResult.Status> check(ServiceRuntime service) {
        return service.checkOnce(List.of("dns")).values().stream().map(CheckResult::status).toList();
    }

    private void failOverAndBack(Route53Engine engineA, Route53Engine engineB) throws Exception {
        assertThat(engineA.verify("files-east")).isEmpty();
        assertThat(engineB.verify("files-west")).isEmpty();
        try (KawariConfig configA = engineA.engine.configs().load(engineA.file);
                LocalNode a = engineA.engine.startNode(configA, "files-east");
                KawariConfig configB = engineB.engine.configs().load(engineB.file);
                LocalNode b = engineB.engine.startNode(configB, "files-west")) {
            ServiceRuntime onA = a.service("files").orElseThrow();
            ServiceRuntime onB = b.service("files").orElseThrow();

            assertThat(onA.restore(List.of("dns")).ok()).isTrue();

            assertThat(published()).containsExactly(primary.nodeA().privateAddress());
            assertThat(check(onA)).containsOnly(CheckResult.Status.HEALTHY);
            assertThat(check(onB)).containsOnly(CheckResult.Status.UNHEALTHY);

            assertThat(onB.restore(List.of("dns")).ok()).isTrue();

            assertThat(published()).containsExactly(recovery.nodeA().privateAddress());
            Thread.sleep(600); // past the shared reads' freshness window
            assertThat(check(onB)).containsOnly(CheckResult.Status.HEALTHY);
            assertThat(check(onA)).containsOnly(CheckResult.Status.UNHEALTHY);

            assertThat(onA.restore(List.of("dns")).ok()).isTrue();
            assertThat(published()).containsExactly(primary.nodeA().privateAddress());
        }
    }

    @Test
    void eachNodeOfAPairInTwoRegionsPublishesItsOwnAddress() throws Exception {
        String hocon = config(", eni = \"" + recovery.nodeA().eni() + "\", region = \"" + WEST + "\"");
        Path dirA = java.nio.file.Files.createDirectories(directory.resolve("a"));
        Path dirB = java.nio.file.Files.createDirectories(directory.resolve("b"));

        failOverAndBack(new Route53Engine(dirA, hocon, Route53Fixture.NO_IMDS),
                new Route53Engine(dirB, hocon, Route53Fixture.NO_IMDS));

        assertThat(recovery.nodeA().privateAddress()).startsWith("10.1.");
    }

    @Test
    void theRecoveryNodeFindsItsRegionThroughImdsV2() throws Exception {
        String hocon = config("");
        Path dirA = java.nio.file.Files.createDirectories(directory.resolve("a"));
        Path dirB = java.nio.file.Files.createDirectories(directory.resolve("b"));
        try (ImdsStub imds = ImdsStub.start()) {
            imds.serve(recovery.nodeA(), WEST, recovery.vpcId());

            failOverAndBack(new Route53Engine(dirA, hocon, Route53Fixture.NO_IMDS),
                    new Route53Engine(dirB, hocon, InstanceMetadata.at(imds.uri())));

            assertThat(imds.tokensIssued()).isPositive();
            assertThat(imds.tokenlessRequests()).isZero();
        }
    }

    @Test
    void aZoneNotAssociatedWithTheRecoveryRegionsVpcFailsVerifyOnBothNodes() throws Exception {
        route53.disassociateVPCFromHostedZone(request -> request.hostedZoneId(zoneId)
                .vpc(vpc -> vpc.vpcId(recovery.vpcId()).vpcRegion(VPCRegion.fromValue(WEST))));
        String hocon = config(", eni = \"" + recovery.nodeA().eni() + "\", region = \"" + WEST + "\"");
        Route53Engine engine = new Route53Engine(directory, hocon, Route53Fixture.NO_IMDS);

        for (String node : List.of("files-east", "files-west")) {
            assertThat(engine.verify(node)).as("verify on %s", node).singleElement().satisfies(problem ->
                    assertThat(problem.message()).contains(recovery.vpcId() + " (" + WEST + ") is not associated"));
        }
    }
}
