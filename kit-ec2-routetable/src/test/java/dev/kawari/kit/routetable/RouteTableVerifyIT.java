package dev.kawari.kit.routetable;

import static dev.kawari.kit.routetable.KitEngine.lineOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kawari.engine.LocalNode;
import dev.kawari.engine.config.ConfigProblem;
import dev.kawari.engine.config.InvalidConfigException;
import dev.kawari.engine.config.KawariConfig;
import dev.kawari.testkit.aws.AwsEndpointExtension;
import dev.kawari.testkit.aws.Ec2Topology;
import dev.kawari.testkit.aws.NetworkNamespace;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configuration checked against the world before anything runs ({@code kawari run}, {@code kawari
 * validate --live}): each mistake is a {@code FILE:LINE:} problem at the offending key.
 */
class RouteTableVerifyIT {
    @RegisterExtension
    static final AwsEndpointExtension aws = new AwsEndpointExtension();

    @TempDir
    Path directory;

    private Ec2Topology topology;
    private NetworkNamespace namespace;
    private KitEngine kit;

    @BeforeEach
    void setUp() {
        topology = Ec2Topology.create(aws.endpoint().ec2());
        namespace = NetworkNamespace.create();
        kit = new KitEngine(new RouteTableKit(RouteTableFixture.type(namespace, dev.kawari.spi.TimeSource.system())));
    }

    @AfterEach
    void tearDown() {
        namespace.close();
    }

    private String config(String nodes, String resource) {
        return "kawari {\n"
                + "  cluster = \"verify\"\n"
                + "  " + aws.endpoint().awsSectionHocon() + "\n"
                + "  " + nodes.replace("\n", "\n  ") + "\n"
                + "  services.sql {\n"
                + "    resources.vip {\n"
                + "      type = ec2-route-table\n"
                + "      " + resource.replace("\n", "\n      ") + "\n"
                + "    }\n"
                + "    monitors.routes { type = ec2-route-table, target = vip }\n"
                + "  }\n"
                + "}\n";
    }

    private String nodes() {
        return topology.nodesHocon(aws.endpoint().region(), Map.of("node-a", namespace.device()));
    }

    private String tables() {
        return "route-tables = [" + String.join(", ", topology.routeTableIds().stream().map(id -> "\"" + id + "\"")
                .toList()) + "]";
    }

    private List<ConfigProblem> verifyOnA(String hocon) throws Exception {
        Path file = KitEngine.write(directory, hocon);
        try (KawariConfig config = kit.engine.configs().load(file);
                LocalNode node = kit.engine.startNode(config, "node-a")) {
            InvalidConfigException invalid = catchThrowableOfType(InvalidConfigException.class, node::verify);
            return invalid == null ? List.of() : invalid.problems();
        }
    }

    @Test
    void aSoundConfigurationVerifies() throws Exception {
        assertThat(verifyOnA(config(nodes(), "address = \"198.51.100.10\"\n" + tables()))).isEmpty();
        assertThat(verifyOnA(config(nodes(), "address = \"198.51.100.10\"\nroute-tables = auto"))).isEmpty();
    }

    @Test
    void anAddressInsideTheVpcIsRejectedAtItsLine() throws Exception {
        String hocon = config(nodes(), "address = \"10.0.3.7\"\n" + tables());

        List<ConfigProblem> problems = verifyOnA(hocon);

        assertThat(problems).singleElement().satisfies(problem -> {
            assertThat(problem.toString()).startsWith(directory.resolve("kawari.conf") + ":"
                    + lineOf(hocon, "10.0.3.7") + ": ");
            assertThat(problem.message()).contains("inside").contains(topology.vpcId()).contains(Ec2Topology.VPC_CIDR);
        });
    }

    @Test
    void anUnknownRouteTableIsRejectedAtItsLine() throws Exception {
        String hocon = config(nodes(), "address = \"198.51.100.10\"\nroute-tables = [\"" + topology.routeTableIds().get(0)
                + "\", \"rtb-0123456789abcdef0\"]");

        List<ConfigProblem> problems = verifyOnA(hocon);

        assertThat(problems).singleElement().satisfies(problem -> {
            assertThat(problem.line()).isEqualTo(lineOf(hocon, "rtb-0123456789abcdef0"));
            assertThat(problem.message()).contains("unknown route table rtb-0123456789abcdef0");
        });
    }

    @Test
    void aRouteTableOfAnotherVpcIsRejectedNamingThatVpc() throws Exception {
        var ec2 = aws.endpoint().ec2();
        String otherVpc = ec2.createVpc(request -> request.cidrBlock("10.9.0.0/16")).vpc().vpcId();
        String otherTable = ec2.createRouteTable(request -> request.vpcId(otherVpc)).routeTable().routeTableId();
        String hocon = config(nodes(), "address = \"198.51.100.10\"\nroute-tables = [\"" + otherTable + "\"]");

        List<ConfigProblem> problems = verifyOnA(hocon);

        assertThat(problems).singleElement().satisfies(problem -> {
            assertThat(problem.line()).isEqualTo(lineOf(hocon, otherTable));
            assertThat(problem.message()).contains(otherTable).contains("belongs to " + otherVpc)
                    .contains(topology.vpcId());
        });
    }

    @Test
    void aMissingNodeIdentityIsRejectedWhenImdsDoesNotAnswer() throws Exception {
        String nodes = "nodes {\n  node-a { priority = 1 }\n  node-b { priority = 2 }\n}";
        String hocon = config(nodes, "address = \"198.51.100.10\"\n" + tables());

        List<ConfigProblem> problems = verifyOnA(hocon);

        assertThat(problems).singleElement().satisfies(problem -> {
            assertThat(problem.line()).isEqualTo(lineOf(hocon, "resources.vip"));
            assertThat(problem.message()).contains("node 'node-a'").contains("eni").contains("IMDSv2");
        });
    }

    @Test
    void aWrongVpcIdIsRejectedAtItsLine() throws Exception {
        String hocon = config(nodes(), "address = \"198.51.100.10\"\nroute-tables = auto\nvpc-id = \"vpc-0123456789abcdef0\"");

        List<ConfigProblem> problems = verifyOnA(hocon);

        assertThat(problems).singleElement().satisfies(problem -> {
            assertThat(problem.line()).isEqualTo(lineOf(hocon, "vpc-id"));
            assertThat(problem.message()).contains(topology.vpcId());
        });
    }

    @Test
    void malformedValuesAreRejectedOfflineEachAtItsLine() throws Exception {
        String hocon = config(nodes(), "address = \"10.0.0.256\"\nroute-tables = \"rtb-1\"\nvpc-id = \"vpc-xyz\"\n"
                + "create-missing-routes = maybe\ntimeouts.restore = 30");
        Path file = KitEngine.write(directory, hocon);

        InvalidConfigException invalid = catchThrowableOfType(InvalidConfigException.class, () -> kit.engine.configs().load(file));

        assertThat(invalid.problems()).extracting(ConfigProblem::line).contains(lineOf(hocon, "10.0.0.256"),
                lineOf(hocon, "rtb-1"), lineOf(hocon, "vpc-xyz"), lineOf(hocon, "maybe"), lineOf(hocon, "restore = 30"));
        assertThat(invalid.problems()).extracting(ConfigProblem::message).anySatisfy(message ->
                assertThat(message).contains("IPv4 address"));
    }

    @Test
    void aMonitorMustWatchARouteTableResource() throws Exception {
        String hocon = config(nodes(), "address = \"198.51.100.10\"\n" + tables())
                .replace("target = vip", "target = vip2")
                .replace("    monitors.routes", "    resources.vip2 { type = ec2-route-table, address = \"198.51.100.11\","
                        + " route-tables = auto }\n    monitors.routes");
        assertThat(verifyOnA(hocon)).isEmpty();

        String broken = hocon.replace("target = vip2", "target = nothing");
        InvalidConfigException invalid = catchThrowableOfType(InvalidConfigException.class, () -> kit.engine.configs().load(
                KitEngine.write(directory, broken)));
        assertThat(invalid.problems()).extracting(ConfigProblem::line).containsOnly(lineOf(broken, "target = nothing"));
    }

    @Test
    void misspeltAwsKeysAreRejectedWithASuggestion() throws Exception {
        String hocon = config(nodes(), "address = \"198.51.100.10\"\n" + tables()).replace("endpoints {", "endpoint {");
        Path file = KitEngine.write(directory, hocon);

        InvalidConfigException invalid = catchThrowableOfType(InvalidConfigException.class, () -> kit.engine.configs().load(file));

        assertThat(invalid.problems()).extracting(ConfigProblem::message).anySatisfy(message ->
                assertThat(message).contains("unknown key 'endpoint'").contains("did you mean 'endpoints'"));
    }
}
