package dev.kawari.kit.route53;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kawari.engine.config.ConfigProblem;
import dev.kawari.testkit.aws.AwsEndpointExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.VPCRegion;

/**
 * Verification against the world ({@code kawari validate --live}, and before {@code kawari run}): an
 * unknown zone, a record outside its zone, a client VPC the private zone is not associated with (in
 * any region), and more, each reported as {@code FILE:LINE: message} at the key that is wrong.
 */
class Route53VerifyIT {
    @RegisterExtension
    static final AwsEndpointExtension aws = new AwsEndpointExtension();

    /** A VPC in another region whose clients resolve the name over inter-region peering. */
    private static final String OTHER_REGION = "us-west-2";

    @TempDir
    Path directory;

    private Route53Fixture fixture;
    private String otherVpc;
    private Route53Engine engine;

    @BeforeEach
    void setUp() {
        fixture = new Route53Fixture(aws.endpoint());
        try (Ec2Client west = aws.endpoint().ec2(OTHER_REGION)) {
            otherVpc = west.createVpc(request -> request.cidrBlock("10.1.0.0/16")).vpc().vpcId();
        }
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    private List<ConfigProblem> verifyOnA(String resource) throws Exception {
        String hocon = "kawari {\n  cluster = files\n  " + aws.endpoint().awsSectionHocon() + "\n  "
                + fixture.topology.nodesHocon(aws.endpoint().region(), Map.of()).replace("\n", "\n  ")
                + "\n  services.files {\n    resources.dns {\n      type = route53\n      "
                + resource.replace("\n", "\n      ") + "\n    }\n    monitors.dns { type = route53, target = dns }\n"
                + "  }\n}\n";
        engine = new Route53Engine(directory, hocon, Route53Fixture.NO_IMDS);
        return engine.verify("node-a");
    }

    private String zone() {
        return "hosted-zone-id = \"" + fixture.zoneId + "\"";
    }

    private String clientVpcs() {
        return "client-vpcs = [\n  { id = \"" + fixture.topology.vpcId() + "\", region = \"" + aws.endpoint().region()
                + "\" }\n  { id = \"" + otherVpc + "\", region = \"" + OTHER_REGION + "\" }\n]";
    }

    private void associateOtherVpc() {
        fixture.route53.associateVPCWithHostedZone(request -> request.hostedZoneId(fixture.zoneId)
                .vpc(vpc -> vpc.vpcId(otherVpc).vpcRegion(VPCRegion.fromValue(OTHER_REGION))));
    }

    @Test
    void aPrivateZoneAssociatedWithEveryClientVpcInEveryRegionVerifies() throws Exception {
        associateOtherVpc();

        assertThat(verifyOnA(zone() + "\nname = \"files.corp.example.\"\n" + clientVpcs())).isEmpty();
    }

    @Test
    void anUnknownZoneIsRejectedAtItsLine() throws Exception {
        List<ConfigProblem> problems = verifyOnA("hosted-zone-id = \"Z0123456789ABCDEFGHIJ\"\n"
                + "name = \"files.corp.example.\"");

        assertThat(problems).singleElement().satisfies(problem -> {
            assertThat(problem.line()).isEqualTo(engine.lineOf("Z0123456789ABCDEFGHIJ"));
            assertThat(problem.message()).contains("unknown hosted zone Z0123456789ABCDEFGHIJ")
                    .contains("NoSuchHostedZone");
        });
    }

    @Test
    void aRecordOutsideTheZoneIsRejectedAtItsLine() throws Exception {
        List<ConfigProblem> problems = verifyOnA(zone() + "\nname = \"files.corp.example.org.\"");

        assertThat(problems).singleElement().satisfies(problem -> {
            assertThat(problem.line()).isEqualTo(engine.lineOf("files.corp.example.org."));
            assertThat(problem.message()).contains("record files.corp.example.org. is not in hosted zone "
                    + fixture.zoneId + " (corp.example.)");
        });
    }

    @Test
    void aClientVpcTheZoneIsNotAssociatedWithIsRejectedNamingVpcRegionAndZone() throws Exception {
        List<ConfigProblem> problems = verifyOnA(zone() + "\nname = \"files.corp.example.\"\n" + clientVpcs());

        assertThat(problems).singleElement().satisfies(problem -> {
            assertThat(problem.line()).isEqualTo(engine.lineOf("client-vpcs"));
            assertThat(problem.message()).contains("client VPC " + otherVpc + " (" + OTHER_REGION + ") is not"
                    + " associated with private hosted zone " + fixture.zoneId + " (corp.example.)")
                    .contains("cannot resolve files.corp.example.")
                    .contains(fixture.topology.vpcId() + " (" + aws.endpoint().region() + ")");
        });
    }

    @Test
    void theSameVpcIdInAnotherRegionIsNotTheAssociatedOne() throws Exception {
        List<ConfigProblem> problems = verifyOnA(zone() + "\nname = \"files.corp.example.\"\nclient-vpcs = [{ id = \""
                + fixture.topology.vpcId() + "\", region = \"eu-west-1\" }]");

        assertThat(problems).singleElement().satisfies(problem ->
                assertThat(problem.message()).contains(fixture.topology.vpcId() + " (eu-west-1) is not associated"));
    }

    @Test
    void clientVpcsOfAPublicZoneAreRejected() throws Exception {
        String publicZone = Route53Fixture.publicZone(fixture.route53, "example.org.");

        List<ConfigProblem> problems = verifyOnA("hosted-zone-id = \"" + publicZone + "\"\nname = \"www.example.org\"\n"
                + clientVpcs());

        assertThat(problems).singleElement().satisfies(problem -> {
            assertThat(problem.line()).isEqualTo(engine.lineOf("client-vpcs"));
            assertThat(problem.message()).contains("is public");
        });
    }

    @Test
    void aCnameAtTheNameIsRejected() throws Exception {
        fixture.put(Route53Fixture.NAME, RRType.CNAME, 300, "nas.corp.example.");

        List<ConfigProblem> problems = verifyOnA(zone() + "\nname = \"files.corp.example.\"");

        assertThat(problems).singleElement().satisfies(problem -> {
            assertThat(problem.line()).isEqualTo(engine.lineOf("name = "));
            assertThat(problem.message()).contains("CNAME");
        });
    }

    @Test
    void anUnknownElasticIpAndAMissingIdentityAreRejected() throws Exception {
        List<ConfigProblem> eip = verifyOnA(zone() + "\nname = \"files.corp.example.\"\n"
                + "addresses { node-a = \"eipalloc-0123456789abcdef0\" }");

        assertThat(eip).singleElement().satisfies(problem -> {
            assertThat(problem.line()).isEqualTo(engine.lineOf("eipalloc-0123456789abcdef0"));
            assertThat(problem.message()).contains("eipalloc-0123456789abcdef0").contains("does not exist");
        });

        String hocon = "kawari {\n  cluster = files\n  " + aws.endpoint().awsSectionHocon()
                + "\n  nodes { node-a { priority = 1 }, node-b { priority = 2 } }\n  services.files.resources.dns {\n"
                + "    type = route53\n    " + zone() + "\n    name = \"files.corp.example.\"\n  }\n}\n";
        List<ConfigProblem> identity = new Route53Engine(directory, hocon, Route53Fixture.NO_IMDS).verify("node-a");

        assertThat(identity).singleElement().satisfies(problem ->
                assertThat(problem.message()).contains("node 'node-a'").contains("IMDSv2"));
    }
}
