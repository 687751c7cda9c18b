package dev.kawari.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kawari iam-policy}: a valid IAM policy with exactly the actions of the configured types. */
class IamPolicyCommandTest {
    static final Path EXAMPLES = Path.of("..", "examples");

    @TempDir
    Path dir;

    /** The policy printed for {@code file}, parsed; asserts exit 0 and the document's shape. */
    static JsonNode policy(Path file) throws IOException {
        KawariCommandTest.Run run = KawariCommandTest.kawari("iam-policy", file.toString());
        assertThat(run.code()).as("exit code; stderr: %s", run.err()).isZero();
        JsonNode policy = new ObjectMapper().readTree(run.out());
        assertThat(policy.path("Version").asText()).isEqualTo("2012-10-17");
        assertThat(policy.path("Statement").isArray()).isTrue();
        for (JsonNode statement : policy.path("Statement")) {
            assertThat(statement.path("Effect").asText()).isEqualTo("Allow");
            assertThat(statement.path("Sid").asText()).matches("[A-Za-z0-9]+");
            assertThat(statement.path("Resource").asText()).isEqualTo("*");
            assertThat(statement.path("Action").isArray()).isTrue();
            for (JsonNode action : statement.path("Action")) {
                assertThat(action.asText()).matches("[a-z0-9-]+:[A-Za-z0-9]+");
            }
        }
        return policy;
    }

    /** Every action the policy allows. */
    static Set<String> actions(JsonNode policy) {
        Set<String> actions = new TreeSet<>();
        policy.path("Statement").forEach(statement -> statement.path("Action").forEach(a -> actions.add(a.asText())));
        return actions;
    }

    @Test
    void theRouteTableExampleGetsExactlyItsActions() throws IOException {
        JsonNode policy = policy(EXAMPLES.resolve("sqlserver-route-table-vip.conf"));

        assertThat(actions(policy)).containsExactly("ec2:CreateRoute", "ec2:DescribeNetworkInterfaces",
                "ec2:DescribeRouteTables", "ec2:DescribeVpcs", "ec2:ModifyNetworkInterfaceAttribute", "ec2:ReplaceRoute");
        List<String> sids = new ArrayList<>();
        policy.path("Statement").forEach(statement -> sids.add(statement.path("Sid").asText()));
        assertThat(sids).containsExactly("KawariEc2RouteTable");
    }

    @Test
    void theElasticIpExampleGetsExactlyItsActions() throws IOException {
        assertThat(actions(policy(EXAMPLES.resolve("web-elastic-ip.conf")))).containsExactly("ec2:AssociateAddress",
                "ec2:DescribeAddresses", "ec2:DescribeNetworkInterfaces", "ec2:DisassociateAddress");
    }

    @Test
    void theHybridExampleGetsExactlyItsActions() throws IOException {
        assertThat(actions(policy(EXAMPLES.resolve("hybrid-vip-and-node-eips.conf")))).containsExactly(
                "ec2:CreateRoute", "ec2:DescribeNetworkInterfaces", "ec2:DescribeRouteTables", "ec2:DescribeVpcs",
                "ec2:ModifyNetworkInterfaceAttribute", "ec2:ReplaceRoute");
    }

    @Test
    void theRoute53ExamplesGetExactlyTheirActions() throws IOException {
        for (String example : List.of("file-server-route53.conf", "dr-pair-route53.conf")) {
            JsonNode policy = policy(EXAMPLES.resolve(example));

            assertThat(actions(policy)).as(example).containsExactly("ec2:DescribeNetworkInterfaces",
                    "route53:ChangeResourceRecordSets", "route53:GetChange", "route53:GetHostedZone",
                    "route53:ListResourceRecordSets");
            List<String> sids = new ArrayList<>();
            policy.path("Statement").forEach(statement -> sids.add(statement.path("Sid").asText()));
            assertThat(sids).as(example).contains("KawariRoute53");
        }
    }

    @Test
    void theSecondaryIpExampleGetsExactlyItsActions() throws IOException {
        JsonNode policy = policy(EXAMPLES.resolve("file-server-secondary-ip.conf"));

        assertThat(actions(policy)).containsExactly("ec2:AssignPrivateIpAddresses", "ec2:DescribeNetworkInterfaces",
                "ec2:DescribeSubnets", "ec2:UnassignPrivateIpAddresses");
        List<String> sids = new ArrayList<>();
        policy.path("Statement").forEach(statement -> sids.add(statement.path("Sid").asText()));
        assertThat(sids).containsExactly("KawariSecondaryIp");
    }

    @Test
    void theDedicatedEniExampleGetsExactlyItsActions() throws IOException {
        assertThat(actions(policy(EXAMPLES.resolve("database-dedicated-eni.conf")))).containsExactly(
                "ec2:AttachNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets",
                "ec2:DetachNetworkInterface");
    }

    @Test
    void aSecretsManagerPasswordAddsGetSecretValueForItsType() throws IOException {
        JsonNode policy = policy(EXAMPLES.resolve("sqlserver-two-az.conf"));
        Path ldap = dir.resolve("ldap.conf");
        Files.writeString(ldap, """
                kawari {
                  cluster = test
                  nodes { node-a {} }
                  services.directory {
                    resources.slapd { type = ldap-server, start = [systemctl, start, slapd], stop = [systemctl, stop, slapd] }
                    monitors.ldap { type = ldap, target = slapd, url = "ldap://127.0.0.1", bind-dn = "cn=m,dc=x",
                                    bind-password-secret-id = "ldap/monitor" }
                  }
                }
                """);

        assertThat(actions(policy)).containsExactly("ec2:CreateRoute", "ec2:DescribeNetworkInterfaces",
                "ec2:DescribeRouteTables", "ec2:DescribeVpcs", "ec2:ModifyNetworkInterfaceAttribute", "ec2:ReplaceRoute",
                "secretsmanager:GetSecretValue");
        List<String> sids = new ArrayList<>();
        policy.path("Statement").forEach(statement -> sids.add(statement.path("Sid").asText()));
        assertThat(sids).containsExactly("KawariEc2RouteTable", "KawariSqlserver");
        assertThat(actions(policy(ldap))).containsExactly("secretsmanager:GetSecretValue");
        assertThat(actions(policy(EXAMPLES.resolve("directory-ldap.conf")))).as("a password file calls no AWS").isEmpty();
    }

    @Test
    void optionsThatAreOffDropTheirActions() throws IOException {
        Path file = dir.resolve("kawari.conf");
        Files.writeString(file, """
                kawari {
                  cluster = test
                  nodes { node-a { eni = "eni-0123456789abcdef0", region = "us-east-1", interface = eth0 } }
                  services.svc.resources {
                    vip { type = ec2-route-table, address = "10.200.0.10", route-tables = auto,
                          create-missing-routes = false, disable-source-dest-check = false }
                    ip { type = ec2-eip, allocation-id = "eipalloc-0123456789abcdef0", disassociate-on-remove = false }
                    private { type = secondary-ip, address = "10.0.1.50", unassign-on-remove = false }
                  }
                }
                """);

        assertThat(actions(policy(file))).containsExactly("ec2:AssignPrivateIpAddresses", "ec2:AssociateAddress",
                "ec2:DescribeAddresses", "ec2:DescribeNetworkInterfaces", "ec2:DescribeRouteTables",
                "ec2:DescribeSubnets", "ec2:DescribeVpcs", "ec2:ReplaceRoute");
    }

    @Test
    void aConfigurationWithoutAwsTypesGetsAnEmptyPolicyAndANote() throws IOException {
        KawariCommandTest.Run run = KawariCommandTest.kawari("iam-policy", EXAMPLES.resolve("demo.conf").toString());

        assertThat(run.code()).isZero();
        assertThat(new ObjectMapper().readTree(run.out()).path("Statement")).isEmpty();
        assertThat(run.err()).contains("no type").contains("calls AWS");
    }

    @Test
    void anInvalidConfigurationIsReportedWithFileAndLine() throws IOException {
        Path file = dir.resolve("kawari.conf");
        Files.writeString(file, """
                kawari {
                  cluster = test
                  nodes { node-a {} }
                  services.svc.resources.vip { type = ec2-route-table, address = "10.200.0.300", route-tables = auto }
                }
                """);

        KawariCommandTest.Run run = KawariCommandTest.kawari("iam-policy", file.toString());

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith(file + ":4: ").contains("IPv4 address");
    }
}
