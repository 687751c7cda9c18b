package dev.kawari.kit.eni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kawari.aws.HostCommands;
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
 * The configuration checked against EC2 before a run (acceptance 3: the same-AZ rule), and what is
 * checked when the file is loaded, every problem located at its FILE:LINE.
 */
class EniVerifyIT {
    @RegisterExtension
    static final AwsEndpointExtension aws = new AwsEndpointExtension();

    @TempDir
    Path directory;

    private String written;
    private Path file;

    private static Engine engine() {
        KitRegistry registry = KitRegistry.of(List.of(new EniKit(new EniResourceType(EniFixture.NO_IMDS,
                HostCommands.system()))), EniVerifyIT.class.getClassLoader());
        return new Engine(registry, new ConfigLoader(registry), TimeSource.system(), Sleeper.system(), new EventBus());
    }

    private void write(String nodes, String resource) throws Exception {
        String hocon = "kawari {\n  cluster = database\n  " + aws.endpoint().awsSectionHocon() + "\n  "
                + nodes.replace("\n", "\n  ") + "\n  services.db {\n    resources.address {\n      type = eni\n"
                + "      " + resource.replace("\n", "\n      ") + "\n    }\n"
                + "    monitors.address { type = eni, target = address }\n  }\n}\n";
        file = directory.resolve("kawari.conf");
        Files.writeString(file, hocon);
        written = hocon;
    }

    private List<ConfigProblem> verifyOnA(String nodes, String resource) throws Exception {
        write(nodes, resource);
        Engine engine = engine();
        try (KawariConfig config = engine.configs().load(file); LocalNode node = engine.startNode(config, "node-a")) {
            InvalidConfigException invalid = catchThrowableOfType(InvalidConfigException.class, node::verify);
            return invalid == null ? List.of() : located(invalid);
        }
    }

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

    private static String nodes(Ec2Topology topology) {
        return topology.nodesHocon(aws.endpoint().region(), Map.of());
    }

    private static String block(Ec2Topology topology) {
        return "eni-id = \"" + topology.dedicatedEni().id() + "\"";
    }

    @Test
    void aClusterInTheEnisZoneVerifies() throws Exception {
        Ec2Topology topology = Ec2Topology.builder().oneSubnet().dedicatedEnis(1).create(aws.endpoint().ec2());

        assertThat(verifyOnA(nodes(topology), block(topology))).isEmpty();
    }

    @Test
    void aNodeInAnotherZoneIsRejectedNamingNodesSubnetsAndZonesAndTheScenariosToUse() throws Exception {
        Ec2Topology topology = Ec2Topology.builder().dedicatedEnis(1).create(aws.endpoint().ec2());
        Ec2Topology.Subnet subnetA = topology.subnets().get(0);
        Ec2Topology.Subnet subnetB = topology.subnets().get(1);
        String eni = topology.dedicatedEni().id();

        List<ConfigProblem> problems = verifyOnA(nodes(topology), block(topology));

        assertThat(problems).singleElement().satisfies(problem -> {
            assertThat(problem.line()).isEqualTo(lineOf(eni));
            assertThat(problem.message())
                    .contains("dedicated ENI " + eni + " lies in " + subnetA.availabilityZone())
                    .contains("'node-b' runs elsewhere")
                    .contains("node-a (" + topology.nodeA().instanceId() + ", " + topology.nodeA().eni() + ") in "
                            + subnetA.id() + " (" + subnetA.cidr() + ", " + subnetA.availabilityZone() + ")")
                    .contains("node-b (" + topology.nodeB().instanceId() + ", " + topology.nodeB().eni() + ") in "
                            + subnetB.id() + " (" + subnetB.cidr() + ", " + subnetB.availabilityZone() + ")")
                    .contains("route-table scenario (type ec2-route-table")
                    .contains("Route 53 scenario");
        });
    }

    @Test
    void anUnknownEniIsRejectedAtItsLine() throws Exception {
        Ec2Topology topology = Ec2Topology.builder().oneSubnet().create(aws.endpoint().ec2());

        List<ConfigProblem> problems = verifyOnA(nodes(topology), "eni-id = \"eni-0123456789abcdef0\"");

        assertThat(problems).singleElement().satisfies(problem -> {
            assertThat(problem.line()).isEqualTo(lineOf("eni-0123456789abcdef0"));
            assertThat(problem.message()).contains("unknown network interface eni-0123456789abcdef0");
        });
    }

    @Test
    void aNodesPrimaryInterfaceIsRejected() throws Exception {
        Ec2Topology topology = Ec2Topology.builder().oneSubnet().create(aws.endpoint().ec2());
        // node-b is known by its instance only, so its interface is not in the configuration to compare with.
        String nodes = "nodes {\n  node-a { instance-id = \"" + topology.nodeA().instanceId() + "\", eni = \""
                + topology.nodeA().eni() + "\", region = \"" + aws.endpoint().region() + "\" }\n"
                + "  node-b { instance-id = \"" + topology.nodeB().instanceId() + "\" }\n}";

        List<ConfigProblem> problems = verifyOnA(nodes, "eni-id = \"" + topology.nodeB().eni() + "\"");

        assertThat(problems).anySatisfy(problem -> {
            assertThat(problem.line()).isEqualTo(lineOf(topology.nodeB().eni()));
            assertThat(problem.message()).contains("primary network interface of node 'node-b'");
        });
    }

    @Test
    void aDeviceIndexInUseOnANodeIsRejectedAtItsLine() throws Exception {
        Ec2Topology topology = Ec2Topology.builder().oneSubnet().dedicatedEnis(2).create(aws.endpoint().ec2());
        aws.endpoint().ec2().attachNetworkInterface(request -> request.networkInterfaceId(
                topology.dedicatedEnis().get(1).id()).instanceId(topology.nodeB().instanceId()).deviceIndex(2));

        List<ConfigProblem> problems = verifyOnA(nodes(topology), block(topology) + "\ndevice-index = 2");

        assertThat(problems).singleElement().satisfies(problem -> {
            assertThat(problem.line()).isEqualTo(lineOf("device-index = 2"));
            assertThat(problem.message()).contains("device index 2 of node 'node-b''s instance "
                    + topology.nodeB().instanceId() + " is taken by " + topology.dedicatedEnis().get(1).id());
        });
    }

    @Test
    void atLoadTheEniOfANodeIsRejected() throws Exception {
        List<ConfigProblem> problems = load("nodes {\n  node-a { instance-id = \"i-0123456789abcdef0\","
                + " eni = \"eni-0123456789abcdef0\" }\n}", "eni-id = \"eni-0123456789abcdef0\"");

        assertThat(problems).anySatisfy(problem -> {
            assertThat(problem.line()).isEqualTo(lineOf("eni-id ="));
            assertThat(problem.message()).contains("primary network interface (eni) of node 'node-a'");
        });
    }

    @Test
    void atLoadANodeThatCannotBePlacedIsRejected() throws Exception {
        List<ConfigProblem> problems = load("nodes {\n  node-a { instance-id = \"i-0123456789abcdef0\" }\n"
                + "  node-b { priority = 2 }\n}", "eni-id = \"eni-0123456789abcdef0\"");

        assertThat(problems).singleElement().satisfies(problem -> assertThat(problem.message())
                .contains("dedicated ENI eni-0123456789abcdef0 needs every node in the ENI's availability zone")
                .contains("node 'node-b' has neither instance-id nor eni"));
    }

    @Test
    void atLoadBadCommandsAreRejectedAtTheirLines() throws Exception {
        List<ConfigProblem> problems = load("nodes {\n  node-a { instance-id = \"i-0123456789abcdef0\" }\n}",
                "eni-id = \"eni-0123456789abcdef0\"\nup-command = \"dhclient eth1\"\n"
                        + "down-command = [ip, link, set, \"{interface}\", down]\ndevice-index = 0");

        assertThat(problems).anySatisfy(problem -> {
            assertThat(problem.line()).isEqualTo(lineOf("up-command"));
            assertThat(problem.message()).contains("argument vector").contains("[\"dhclient\", \"eth1\"]");
        }).anySatisfy(problem -> {
            assertThat(problem.line()).isEqualTo(lineOf("down-command"));
            assertThat(problem.message()).contains("unknown placeholder {interface}");
        }).anySatisfy(problem -> {
            assertThat(problem.line()).isEqualTo(lineOf("device-index"));
            assertThat(problem.message()).contains("'device-index' must be a whole number from 1");
        });
    }
}
