package dev.kawari.kit.secondaryip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kawari.engine.Engine;
import dev.kawari.engine.LocalNode;
import dev.kawari.engine.config.ConfigLoader;
import dev.kawari.engine.config.ConfigProblem;
import dev.kawari.engine.config.InvalidConfigException;
import dev.kawari.engine.config.KawariConfig;
import dev.kawari.engine.event.EventBus;
import dev.kawari.engine.kit.KitRegistry;
import dev.kawari.spi.Sleeper;
import dev.kawari.spi.TimeSource;
import dev.kawari.testkit.aws.AwsEndpointExtension;
import dev.kawari.testkit.aws.Ec2Topology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configuration checked against EC2 before a run (acceptance 3: the same-subnet rule), and what
 * is checked when the file is loaded, every problem located at its FILE:LINE.
 */
class SecondaryIpVerifyIT {
    @RegisterExtension
    static final AwsEndpointExtension aws = new AwsEndpointExtension();

    @TempDir
    Path directory;

    private String written;
    private Path file;

    private Engine engine() {
        KitRegistry registry = KitRegistry.of(List.of(new SecondaryIpKit(new SecondaryIpResourceType(
                SecondaryIpFixture.NO_IMDS, dev.kawari.aws.InterfaceAddresses.system()))), getClass().getClassLoader());
        return new Engine(registry, new ConfigLoader(registry), TimeSource.system(), Sleeper.system(), new EventBus());
    }

    private String write(String nodes, String resource) throws Exception {
        String hocon = "kawari {\n  cluster = files\n  " + aws.endpoint().awsSectionHocon() + "\n  "
                + nodes.replace("\n", "\n  ") + "\n  services.files {\n    resources.ip {\n      type = secondary-ip\n"
                + "      " + resource.replace("\n", "\n      ") + "\n    }\n"
                + "    monitors.ip { type = secondary-ip, target = ip }\n  }\n}\n";
        file = directory.resolve("kawari.conf");
        Files.writeString(file, hocon);
        written = hocon;
        return hocon;
    }

    /** The problems of verify on node-a, each checked to carry this file and a line of it. */
    private List<ConfigProblem> verifyOnA(String nodes, String resource) throws Exception {
        write(nodes, resource);
        Engine engine = engine();
        try (KawariConfig config = engine.configs().load(file); LocalNode node = engine.startNode(config, "node-a")) {
            InvalidConfigException invalid = catchThrowableOfType(InvalidConfigException.class, node::verify);
            return invalid == null ? List.of() : located(invalid);
        }
    }

    /** The problems of loading the file. */
    private List<ConfigProblem> load(String nodes, String resource) throws Exception {
        write(nodes, resource);
        InvalidConfigException invalid = catchThrowableOfType(InvalidConfigException.class, () -> engine().configs()
                .load(file).close());
        return invalid == null ? List.of() : located(invalid);
    }

    private List<ConfigProblem> located(InvalidConfigException invalid) {
        int lines = written.split("\n").length;
        for (ConfigProblem problem : invalid.problems()) {
            assertThat(problem.file()).isEqualTo(file.toString());
            assertThat(problem.line()).isBetween(1, lines);
            assertThat(problem.toString()).startsWith(file + ":" + problem.line() + ": ");
        }
        return invalid.problems();
    }

    private int lineOf(String text) {
        String[] lines = written.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError("no line contains " + text);
    }

    private static Ec2Topology oneSubnet() {
        return Ec2Topology.builder().oneSubnet().create(aws.endpoint().ec2());
    }

    private static String nodes(Ec2Topology topology) {
        return topology.nodesHocon(aws.endpoint().region(), Map.of("node-a", "eth0", "node-b", "eth0"));
    }

    private static String free(Ec2Topology topology) {
        return Ec2Topology.freeAddress(aws.endpoint().ec2(), topology.subnetOf(topology.nodeA()));
    }

    @Test
    void aClusterInOneSubnetWithAFreeAddressVerifies() throws Exception {
        Ec2Topology topology = oneSubnet();

        assertThat(verifyOnA(nodes(topology), "address = \"" + free(topology) + "\"")).isEmpty();
    }

    @Test
    void nodesInTwoSubnetsAreRejectedNamingNodesSubnetsAndZonesAndTheScenariosToUse() throws Exception {
        Ec2Topology topology = Ec2Topology.create(aws.endpoint().ec2());
        Ec2Topology.Subnet subnetA = topology.subnets().get(0);
        Ec2Topology.Subnet subnetB = topology.subnets().get(1);
        String address = free(topology);

        List<ConfigProblem> problems = verifyOnA(nodes(topology), "address = \"" + address + "\"");

        assertThat(problems).singleElement().satisfies(problem -> {
            assertThat(problem.line()).isEqualTo(lineOf(address));
            assertThat(problem.message())
                    .contains("secondary IP " + address)
                    .contains("node-a (" + topology.nodeA().instanceId() + ", " + topology.nodeA().eni() + ") in "
                            + subnetA.id() + " (" + subnetA.cidr() + ", " + subnetA.availabilityZone() + ")")
                    .contains("node-b (" + topology.nodeB().instanceId() + ", " + topology.nodeB().eni() + ") in "
                            + subnetB.id() + " (" + subnetB.cidr() + ", " + subnetB.availabilityZone() + ")")
                    .contains("cannot follow a node into another subnet or AZ")
                    .contains("route-table scenario (type ec2-route-table")
                    .contains("Route 53 scenario");
        });
    }

    @Test
    void anAddressOutsideTheSubnetIsRejectedAtItsLine() throws Exception {
        Ec2Topology topology = oneSubnet();

        List<ConfigProblem> problems = verifyOnA(nodes(topology), "address = \"10.0.2.50\"");

        assertThat(problems).singleElement().satisfies(problem -> {
            assertThat(problem.line()).isEqualTo(lineOf("10.0.2.50"));
            assertThat(problem.message()).contains("10.0.2.50 is not in subnet " + topology.subnets().get(0).id())
                    .contains("10.0.1.0/24");
        });
    }

    @Test
    void addressesAwsReservesAreRejected() throws Exception {
        Ec2Topology topology = oneSubnet();

        assertThat(verifyOnA(nodes(topology), "address = \"10.0.1.1\"")).singleElement()
                .satisfies(problem -> assertThat(problem.message()).contains("VPC router"));
        assertThat(verifyOnA(nodes(topology), "address = \"10.0.1.2\"")).singleElement()
                .satisfies(problem -> assertThat(problem.message()).contains("Amazon DNS server"));
        assertThat(verifyOnA(nodes(topology), "address = \"10.0.1.0\"")).singleElement()
                .satisfies(problem -> assertThat(problem.message()).contains("network address"));
        assertThat(verifyOnA(nodes(topology), "address = \"10.0.1.255\"")).singleElement()
                .satisfies(problem -> assertThat(problem.message()).contains("broadcast address"));
    }

    @Test
    void aNodesPrimaryAddressIsRejected() throws Exception {
        Ec2Topology topology = oneSubnet();
        String primary = topology.nodeB().privateAddress();

        List<ConfigProblem> problems = verifyOnA(nodes(topology), "address = \"" + primary + "\"");

        assertThat(problems).singleElement().satisfies(problem ->
                assertThat(problem.message()).contains("primary private address of " + topology.nodeB().eni()));
    }

    @Test
    void anAddressOfAnInterfaceOutsideTheClusterIsRejected() throws Exception {
        Ec2Topology topology = Ec2Topology.builder().oneSubnet().dedicatedEnis(1).create(aws.endpoint().ec2());
        String address = free(topology);
        aws.endpoint().ec2().assignPrivateIpAddresses(request -> request.networkInterfaceId(topology.dedicatedEni().id())
                .privateIpAddresses(address));

        List<ConfigProblem> problems = verifyOnA(nodes(topology), "address = \"" + address + "\"");

        assertThat(problems).singleElement().satisfies(problem -> assertThat(problem.message())
                .contains("assigned to " + topology.dedicatedEni().id()).contains("not a node of this cluster"));
    }

    @Test
    void anUnknownInterfaceOfTheOtherNodeIsNamed() throws Exception {
        Ec2Topology topology = oneSubnet();
        String nodes = nodes(topology).replace(topology.nodeB().eni(), "eni-0123456789abcdef0");

        List<ConfigProblem> problems = verifyOnA(nodes, "address = \"" + free(topology) + "\"");

        assertThat(problems).singleElement().satisfies(problem -> assertThat(problem.message())
                .contains("eni-0123456789abcdef0 of node 'node-b' does not exist"));
    }

    @Test
    void aNodeKnownOnlyByItsInstanceIsPlacedThroughIt() throws Exception {
        Ec2Topology topology = Ec2Topology.create(aws.endpoint().ec2());
        String nodes = "nodes {\n  node-a { instance-id = \"" + topology.nodeA().instanceId() + "\", eni = \""
                + topology.nodeA().eni() + "\", region = \"" + aws.endpoint().region() + "\", interface = eth0 }\n"
                + "  node-b { instance-id = \"" + topology.nodeB().instanceId() + "\" }\n}";

        List<ConfigProblem> problems = verifyOnA(nodes, "address = \"" + free(topology) + "\"");

        assertThat(problems).singleElement().satisfies(problem -> assertThat(problem.message())
                .contains("node-b (" + topology.nodeB().instanceId() + ", " + topology.nodeB().eni() + ") in "
                        + topology.subnets().get(1).id()));
    }

    @Test
    void atLoadANodeWithoutInstanceOrInterfaceIsRejected() throws Exception {
        List<ConfigProblem> problems = load("nodes {\n  node-a { instance-id = \"i-0123456789abcdef0\" }\n"
                + "  node-b { priority = 2 }\n}", "address = \"10.0.1.50\"");

        assertThat(problems).singleElement().satisfies(problem -> {
            assertThat(problem.line()).isEqualTo(lineOf("type = secondary-ip") - 1);
            assertThat(problem.message()).contains("node 'node-b' has neither instance-id nor eni")
                    .contains("kawari.nodes.node-b");
        });
    }

    @Test
    void atLoadNodesInTwoRegionsAreRejected() throws Exception {
        List<ConfigProblem> problems = load("nodes {\n  node-a { instance-id = \"i-0123456789abcdef0\", region = us-east-1 }\n"
                + "  node-b { instance-id = \"i-0123456789abcdef1\", region = eu-west-1 }\n}", "address = \"10.0.1.50\"");

        assertThat(problems).singleElement().satisfies(problem -> assertThat(problem.message())
                .contains("node-a in us-east-1, node-b in eu-west-1").contains("Route 53 scenario"));
    }

    @Test
    void atLoadABadAddressIsRejectedAtItsLine() throws Exception {
        List<ConfigProblem> problems = load("nodes {\n  node-a { instance-id = \"i-0123456789abcdef0\" }\n}",
                "address = \"10.0.1.300\"");

        assertThat(problems).anySatisfy(problem -> {
            assertThat(problem.line()).isEqualTo(lineOf("10.0.1.300"));
            assertThat(problem.message()).contains("IPv4 address");
        });
        // The monitor's target is then invalid too, which is reported at the monitor's line.
        assertThat(problems).hasSize(2);
    }
}
