package dev.kawari.kit.route53;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.kawari.aws.InstanceMetadata;
import dev.kawari.spi.Resource;
import dev.kawari.testkit.KitConfigs;
import dev.kawari.testkit.TestKitContext;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What {@code route53} blocks are accepted, and the messages of those that are not (no AWS needed). */
class Route53ValidationTest {
    private static final String SOUND = "hosted-zone-id = \"Z0123456789ABCDEFGHIJ\", name = \"files.corp.example.\"";

    private final Route53ResourceType type = new Route53ResourceType(InstanceMetadata.at(URI.create("http://127.0.0.1:9")));
    private Resource created;

    @AfterEach
    void close() {
        if (created != null) {
            created.close();
        }
    }

    private TestKitContext create(String block) {
        TestKitContext context = new TestKitContext();
        created = type.create(KitConfigs.resource("route53", block), context);
        return context;
    }

    private Route53Settings settings(String block) {
        TestKitContext context = create(block);
        assertThat(context.problems()).as("problems of %s", block).isEmpty();
        return ((Route53Resource) created).settings();
    }

    @Test
    void aMinimalBlockTakesTheDefaults() {
        Route53Settings settings = settings(SOUND);

        assertThat(settings.hostedZoneId()).isEqualTo("Z0123456789ABCDEFGHIJ");
        assertThat(settings.name().text()).isEqualTo("files.corp.example.");
        assertThat(settings.ttlSeconds()).isEqualTo(10);
        assertThat(settings.addressOf("node-a")).isEqualTo(new NodeAddress.PrivateIp());
        assertThat(settings.sorryAddress()).isEmpty();
        assertThat(settings.resolvers()).isEmpty();
        assertThat(settings.clientVpcs()).isEmpty();
        assertThat(settings.restoreTimeout()).isEqualTo(Duration.ofMinutes(3));
        assertThat(settings.checkTimeout()).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void namesAndZoneIdsAreNormalized() {
        Route53Settings settings = settings("hosted-zone-id = \"/hostedzone/Z0123456789ABCDEFGHIJ\","
                + " name = \"Files.Corp.Example\"");

        assertThat(settings.hostedZoneId()).isEqualTo("Z0123456789ABCDEFGHIJ");
        assertThat(settings.name().text()).isEqualTo("files.corp.example.");
    }

    @Test
    void everyKindOfPublishedAddressIsAccepted() {
        Route53Settings settings = settings(SOUND + ", address = public-ip, addresses { node-a = \"203.0.113.10\","
                + " node-b = \"eipalloc-0123456789abcdef0\" }, sorry-address = \"198.51.100.99\","
                + " resolvers = [\"127.0.0.1:5353\", \"10.0.0.2\", \"[::1]:53\"],"
                + " client-vpcs = [{ id = \"vpc-0123456789abcdef0\", region = \"eu-west-1\" }]");

        assertThat(settings.addressOf("node-a")).isEqualTo(new NodeAddress.Literal(
                dev.kawari.aws.Ipv4Address.parse("203.0.113.10").orElseThrow()));
        assertThat(settings.addressOf("node-b")).isEqualTo(new NodeAddress.ElasticIp("eipalloc-0123456789abcdef0"));
        assertThat(settings.addressOf("node-c")).isEqualTo(new NodeAddress.PublicIp());
        assertThat(settings.resolvers()).extracting(DnsServer::toString)
                .containsExactly("127.0.0.1:5353", "10.0.0.2:53", "[0:0:0:0:0:0:0:1]:53");
        assertThat(settings.clientVpcs()).containsExactly(new ClientVpc("vpc-0123456789abcdef0", "eu-west-1"));
    }

    @Test
    void requiredKeysAreNamed() {
        TestKitContext context = create("ttl = 30s");

        assertThat(context.problemKeys()).containsExactlyInAnyOrder("hosted-zone-id", "name");
        assertThat(context.problemsOn("name").get(0).message()).contains("files.corp.example.");
    }

    @Test
    void everyBadValueOfABlockIsReportedAtOnce() {
        TestKitContext context = create("hosted-zone-id = \"zone-1\", name = \"files..corp.example\", ttl = 1500ms,"
                + " address = elastic-ip, sorry-address = \"10.0.0.300\", resolvers = [\"dns.corp.example\"],"
                + " timeouts.restore = 0s");

        assertThat(context.problemKeys()).containsExactlyInAnyOrder("hosted-zone-id", "name", "ttl", "address",
                "sorry-address", "resolvers", "timeouts.restore");
        assertThat(context.problemsOn("hosted-zone-id").get(0).message()).contains("'zone-1' is not a hosted zone id");
        assertThat(context.problemsOn("ttl").get(0).message()).contains("whole seconds");
        assertThat(context.problemsOn("address").get(0).message()).contains("private-ip or public-ip")
                .contains("addresses { NODE");
        assertThat(context.problemsOn("resolvers").get(0).message()).contains("host names are not accepted");
    }

    @Test
    void theTtlHasBounds() {
        assertThat(create(SOUND + ", ttl = 2h").problemsOn("ttl")).singleElement()
                .satisfies(problem -> assertThat(problem.message()).contains("between 1s and 1h").contains("7200s"));
        assertThat(create(SOUND + ", ttl = 1h").problems()).isEmpty();
        assertThat(create(SOUND + ", ttl = 1s").problems()).isEmpty();
    }

    @Test
    void wildcardsAndBadLabelsAreRefused() {
        assertThat(create("hosted-zone-id = \"Z1\", name = \"*.corp.example.\"").problemsOn("name")).singleElement()
                .satisfies(problem -> assertThat(problem.message()).contains("wildcard"));
        assertThat(create("hosted-zone-id = \"Z1\", name = \"-files.corp.example.\"").problemsOn("name"))
                .singleElement().satisfies(problem -> assertThat(problem.message()).contains("'-files'"));
    }

    @Test
    void perNodeAddressesMustNameNodesOfTheCluster() {
        TestKitContext context = create(SOUND + ", addresses { node-z = \"203.0.113.10\", node-a = \"files-a\" }");

        assertThat(context.problems()).hasSize(2);
        assertThat(context.problemsOn("addresses.\"node-z\"")).singleElement().satisfies(problem ->
                assertThat(problem.message()).contains("node 'node-z'").contains("node-a, node-b"));
        assertThat(context.problemsOn("addresses.\"node-a\"")).singleElement().satisfies(problem ->
                assertThat(problem.message()).contains("'files-a'"));
    }

    @Test
    void theSorryAddressMustNotBeANodesAddress() {
        TestKitContext context = create(SOUND + ", addresses { node-a = \"203.0.113.10\" },"
                + " sorry-address = \"203.0.113.10\"");

        assertThat(context.problemsOn("sorry-address")).singleElement().satisfies(problem ->
                assertThat(problem.message()).contains("also the address of node 'node-a'"));
    }

    @Test
    void clientVpcsNeedAnIdAndARegion() {
        TestKitContext context = create(SOUND + ", client-vpcs = [\"vpc-0123456789abcdef0\","
                + " { id = \"vpc-0123456789abcdef0\" }, { id = \"vpc-0123456789abcdef0\", region = \"west\" },"
                + " { id = \"vpc-1\", region = \"eu-west-1\" }, { id = \"vpc-0123456789abcdef0\", region = \"eu-west-1\","
                + " zone = x }, { id = \"vpc-0123456789abcdef0\", region = \"eu-west-1\" },"
                + " { id = \"vpc-0123456789abcdef0\", region = \"eu-west-1\" }]");

        assertThat(context.problemsOn("client-vpcs")).extracting(TestKitContext.Problem::message).satisfiesExactly(
                message -> assertThat(message).contains("each VPC is an object"),
                message -> assertThat(message).contains("needs both id and region"),
                message -> assertThat(message).contains("'west'"),
                message -> assertThat(message).contains("'vpc-1'"),
                message -> assertThat(message).contains("unknown key(s) [zone]"),
                message -> assertThat(message).contains("more than once"));
    }

    @Test
    void theIamPolicyNamesDescribeAddressesOnlyForElasticIps() {
        assertThat(type.iamActions(KitConfigs.resource("route53", SOUND).config())).containsExactly(
                "ec2:DescribeNetworkInterfaces", "route53:ChangeResourceRecordSets", "route53:GetChange",
                "route53:GetHostedZone", "route53:ListResourceRecordSets");
        assertThat(type.iamActions(KitConfigs.resource("route53", SOUND
                + ", addresses { node-b = \"eipalloc-0123456789abcdef0\" }").config()))
                .contains("ec2:DescribeAddresses");
        assertThat(new Route53MonitorType().iamActions(ConfigFactory.empty()))
                .containsExactly("route53:ListResourceRecordSets");
    }

    @Test
    void recordNamesCompareWholeAndInRoute53Order() {
        RecordName zone = RecordName.parse("corp.example").orElseThrow();

        assertThat(RecordName.parse("files.corp.example.").orElseThrow().isIn(zone)).isTrue();
        assertThat(RecordName.parse("corp.example.").orElseThrow().isIn(zone)).isTrue();
        assertThat(RecordName.parse("files.megacorp.example.").orElseThrow().isIn(zone)).isFalse();
        assertThat(RecordName.parse("files.corp.example.org.").orElseThrow().isIn(zone)).isFalse();
        List<RecordName> sorted = java.util.stream.Stream.of("b.corp.example.", "a.b.corp.example.", "corp.example.",
                "z.a.corp.example.").map(text -> RecordName.parse(text).orElseThrow()).sorted().toList();
        assertThat(sorted).extracting(RecordName::text).containsExactly("corp.example.", "z.a.corp.example.",
                "b.corp.example.", "a.b.corp.example.");
    }

    @Test
    void dnsServersAreAddressesNeverNames() {
        assertThat(DnsServer.parse("10.0.0.2")).map(DnsServer::toString).contains("10.0.0.2:53");
        assertThat(DnsServer.parse("127.0.0.1:5353")).map(DnsServer::toString).contains("127.0.0.1:5353");
        assertThat(DnsServer.parse("fd00::2")).map(DnsServer::toString).contains("[fd00:0:0:0:0:0:0:2]:53");
        assertThat(DnsServer.parse("ns1.corp.example")).isEmpty();
        assertThat(DnsServer.parse("10.0.0.256")).isEmpty();
        assertThat(DnsServer.parse("10.0.0.2:0")).isEmpty();
        assertThat(DnsServer.parse("10.0.0.2:70000")).isEmpty();
    }
}
