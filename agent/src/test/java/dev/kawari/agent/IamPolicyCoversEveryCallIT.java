package dev.kawari.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.kawari.aws.ApiCallCounter;
import dev.kawari.aws.ApiCallCounts;
import dev.kawari.engine.Engine;
import dev.kawari.engine.EngineModule;
import dev.kawari.engine.LocalNode;
import dev.kawari.engine.ServiceRuntime;
import dev.kawari.engine.config.KawariConfig;
import dev.kawari.spi.CheckResult;
import dev.kawari.testkit.OperationContexts;
import dev.kawari.testkit.aws.AwsEndpoint;
import dev.kawari.testkit.aws.AwsEndpointExtension;
import dev.kawari.testkit.aws.AwsFaultInjector;
import dev.kawari.testkit.aws.Ec2Topology;
import dev.kawari.testkit.aws.NetworkNamespace;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.route53.Route53Client;

/**
 * Acceptance for {@code kawari iam-policy}: each example runs against the emulator, wired as the
 * agent wires it (kits from the class path), through its whole life on two nodes (verify, restore,
 * checks and monitors, a takeover, a recovery, remove), and the AWS operations it made are exactly
 * the actions of the policy printed for the example file: every call allowed, nothing listed unused.
 * Passwords that an example reads from Secrets Manager are created in the emulator (verify reads
 * them); password files are written for the others.
 *
 * <p>The examples of the one-subnet kits ({@code secondary-ip}, {@code eni}) change the node's
 * operating system, so each node is a real {@code kawari} process inside a network namespace of its
 * own, reaching the emulator through a proxy that records every request it receives.
 */
class IamPolicyCoversEveryCallIT {
    @RegisterExtension
    static final AwsEndpointExtension aws = new AwsEndpointExtension();

    @TempDir
    Path dir;

    /**
     * An example and how the test points it at the emulator.
     *
     * @param file in examples/
     * @param nodes the example's two node names
     * @param service the service holding the AWS resources
     * @param resources the AWS resources (the others, such as SQL Server, are never started here)
     */
    record Example(String file, List<String> nodes, String service, List<String> resources) {
    }

    static Stream<Arguments> examples() {
        return Stream.of(
                Arguments.of(new Example("sqlserver-route-table-vip.conf", List.of("sql-a", "sql-b"), "mssql",
                        List.of("vip"))),
                Arguments.of(new Example("web-elastic-ip.conf", List.of("web-a", "web-b"), "web", List.of("public-ip"))),
                Arguments.of(new Example("hybrid-vip-and-node-eips.conf", List.of("app-a", "app-b"), "app",
                        List.of("vip"))),
                Arguments.of(new Example("sqlserver-two-az.conf", List.of("sql-a", "sql-b"), "mssql", List.of("vip"))),
                Arguments.of(new Example("file-server-route53.conf", List.of("files-a", "files-b"), "files",
                        List.of("name"))),
                Arguments.of(new Example("dr-pair-route53.conf", List.of("orders-ireland", "orders-frankfurt"),
                        "orders", List.of("name"))));
    }

    /**
     * Route 53 through a proxy that reports changes PENDING as AWS does (the emulator reports INSYNC at
     * once), so that restores poll GetChange as they do on AWS; null for examples without Route 53.
     */
    private AwsFaultInjector route53;

    @AfterEach
    void closeProxy() {
        if (route53 != null) {
            route53.close();
        }
    }

    @ParameterizedTest
    @MethodSource("examples")
    void everyCallIsAllowedAndEveryAllowedActionIsCalled(Example example) throws Exception {
        AwsEndpoint endpoint = aws.endpoint();
        Ec2Topology topology = Ec2Topology.create(endpoint.ec2());
        if (example.file().contains("route53")) {
            route53 = AwsFaultInjector.start(endpoint.uri());
            route53.keepRoute53ChangesPending(1);
        }
        Path file = IamPolicyCommandTest.EXAMPLES.resolve(example.file());
        Set<String> allowed = IamPolicyCommandTest.actions(IamPolicyCommandTest.policy(file));
        Engine engine = Guice.createInjector(new EngineModule()).getInstance(Engine.class);
        String nodeA = example.nodes().get(0);
        String nodeB = example.nodes().get(1);

        ApiCallCounts before = ApiCallCounter.process().snapshot();
        try (KawariConfig config = engine.configs().load(file, overrides(example, topology, endpoint))) {
            try (LocalNode a = engine.startNode(config, nodeA)) {
                a.verify();
                ServiceRuntime service = a.service(example.service()).orElseThrow();
                var restored = service.restore(example.resources());
                assertThat(restored.ok()).as("%s", restored).isTrue();
                assertThat(service.checkOnce(example.resources()).values()).extracting(CheckResult::status)
                        .containsOnly(CheckResult.Status.HEALTHY);
            }
            try (LocalNode b = engine.startNode(config, nodeB)) {
                b.verify();
                ServiceRuntime service = b.service(example.service()).orElseThrow();
                var restored = service.restore(example.resources());
                assertThat(restored.ok()).as("%s", restored).isTrue();
                Thread.sleep(600); // past the shared describes' freshness window
                assertThat(service.checkOnce(example.resources()).values()).extracting(CheckResult::status)
                        .containsOnly(CheckResult.Status.HEALTHY);
            }
            try (LocalNode a = engine.startNode(config, nodeA)) {
                ServiceRuntime service = a.service(example.service()).orElseThrow();
                assertThat(service.checkOnce(example.resources()).values()).extracting(CheckResult::status)
                        .containsOnly(CheckResult.Status.UNHEALTHY);
                // The kit's own recover (the engine's would also stop and start the dependents, such
                // as SQL Server, which are not on this machine).
                for (String resource : example.resources()) {
                    config.service(example.service()).orElseThrow().resources().stream()
                            .filter(spec -> spec.id().equals(resource)).findFirst().orElseThrow().instance()
                            .recover(OperationContexts.builder().node(a.node().identity()).build());
                }
                Thread.sleep(600);
                assertThat(service.checkOnce(example.resources()).values()).extracting(CheckResult::status)
                        .containsOnly(CheckResult.Status.HEALTHY);
                for (String resource : example.resources()) {
                    config.service(example.service()).orElseThrow().resources().stream()
                            .filter(spec -> spec.id().equals(resource)).findFirst().orElseThrow().instance()
                            .remove(OperationContexts.builder().node(a.node().identity()).build());
                }
            }
        }
        Set<String> called = new TreeSet<>(ApiCallCounter.process().snapshot().since(before).byAction().keySet());

        assertThat(called).as("AWS operations made by %s against the emulator", example.file())
                .isEqualTo(allowed);
    }

    private static void createSecretOnce(AwsEndpoint endpoint, String id) {
        try (var secrets = endpoint.secretsManager()) {
            boolean exists = secrets.listSecrets().secretList().stream().anyMatch(secret -> secret.name().equals(id));
            if (!exists) {
                secrets.createSecret(request -> request.name(id).secretString(
                        "{\"username\": \"kawari_monitor\", \"password\": \"not-used\"}"));
            }
        }
    }

    /** The emulator's ids and endpoint instead of the example's; no local address (no namespace here). */
    private Config overrides(Example example, Ec2Topology topology, AwsEndpoint endpoint) throws java.io.IOException {
        StringBuilder hocon = new StringBuilder();
        hocon.append("kawari.aws { region = \"").append(endpoint.region()).append("\", endpoints { ec2 = \"")
                .append(endpoint.uri()).append("\"").append(route53 == null ? "" : ", route53 = \"" + route53.uri() + "\"")
                .append(" } }\n");
        hocon.append("kawari.event-log = \"").append(dir.resolve("events.jsonl")).append("\"\n");
        for (int i = 0; i < 2; i++) {
            Ec2Topology.Node node = topology.nodes().get(i);
            hocon.append("kawari.nodes.").append(example.nodes().get(i)).append(" { instance-id = \"")
                    .append(node.instanceId()).append("\", eni = \"").append(node.eni()).append("\", region = \"")
                    .append(endpoint.region()).append("\" }\n");
        }
        String resources = "kawari.services." + example.service() + ".resources.";
        Config written = ConfigFactory.parseFile(IamPolicyCommandTest.EXAMPLES.resolve(example.file()).toFile())
                .getConfig("kawari.services." + example.service());
        hocon.append("kawari.aws.endpoints.secretsmanager = \"").append(endpoint.uri()).append("\"\n");
        for (String kind : List.of("resources", "monitors")) {
            if (!written.hasPath(kind)) {
                continue;
            }
            for (String id : written.getConfig(kind).root().keySet()) {
                Config block = written.getConfig(kind + "." + id);
                if (block.hasPath("password-secret-id")) {
                    // SQL Server itself never starts here, but its blocks are verified: they read the secret.
                    createSecretOnce(endpoint, block.getString("password-secret-id"));
                } else if (block.hasPath("password-file")) {
                    Path password = dir.resolve("mssql-monitor.password");
                    java.nio.file.Files.writeString(password, "not-used");
                    hocon.append("kawari.services.").append(example.service()).append('.').append(kind).append('.')
                            .append(id).append(".password-file = \"").append(password).append("\"\n");
                }
            }
        }
        for (String resource : example.resources()) {
            if (example.file().contains("route53")) {
                // A private zone of the emulator, associated with the topology's VPC; no DNS servers to ask
                // (the example's resolvers are addresses of a VPC that does not exist here).
                String zone;
                try (Route53Client client = endpoint.route53()) {
                    String id = client.createHostedZone(request -> request.name("corp.example.")
                            .callerReference("kawari-" + System.nanoTime())
                            .vpc(vpc -> vpc.vpcId(topology.vpcId()).vpcRegion(endpoint.region()))
                            .hostedZoneConfig(config -> config.privateZone(true))).hostedZone().id();
                    zone = id.substring(id.lastIndexOf('/') + 1);
                }
                hocon.append(resources).append(resource).append(" { hosted-zone-id = \"").append(zone)
                        .append("\", resolvers = [], client-vpcs = [{ id = \"").append(topology.vpcId())
                        .append("\", region = \"").append(endpoint.region()).append("\" }] }\n");
                continue;
            }
            if (resource.equals("vip")) {
                hocon.append(resources).append("vip.local-address = false\n");
                if (example.file().startsWith("sqlserver")) {
                    hocon.append(resources).append("vip.route-tables = [").append(String.join(", ",
                            topology.routeTableIds().stream().map(id -> "\"" + id + "\"").toList())).append("]\n");
                }
            } else {
                hocon.append(resources).append(resource).append(".allocation-id = \"")
                        .append(topology.address().allocationId()).append("\"\n");
            }
        }
        return ConfigFactory.parseString(hocon.toString());
    }

    /**
     * An example of a one-subnet kit and how the test points it at the emulator.
     *
     * @param file in examples/
     * @param nodes the example's two node names
     * @param service the service holding the AWS resource
     * @param resource the AWS resource
     * @param type its type
     * @param dependents the exec resources that depend on it, which removing it takes out first: their
     *     commands become {@code true} here (the application is not on this machine)
     */
    record SameSubnetExample(String file, List<String> nodes, String service, String resource, String type,
            List<String> dependents) {
    }

    static Stream<Arguments> sameSubnetExamples() {
        return Stream.of(
                Arguments.of(new SameSubnetExample("file-server-secondary-ip.conf", List.of("files-a", "files-b"),
                        "files", "address", "secondary-ip", List.of("smbd"))),
                Arguments.of(new SameSubnetExample("database-dedicated-eni.conf", List.of("db-a", "db-b"),
                        "reporting", "address", "eni", List.of("postgresql"))));
    }

    /**
     * Node A verifies, restores, checks and removes (a switchover); node B verifies, restores and
     * checks; node A finds itself Unhealthy, then takes over without B's remove (a failover), checks
     * and removes.
     */
    @ParameterizedTest
    @MethodSource("sameSubnetExamples")
    void everyCallOfTheNodeProcessesIsAllowedAndEveryAllowedActionIsCalled(SameSubnetExample example)
            throws Exception {
        AwsEndpoint endpoint = aws.endpoint();
        Ec2Topology topology = Ec2Topology.builder().oneSubnet().dedicatedEnis(1).create(endpoint.ec2());
        Path file = IamPolicyCommandTest.EXAMPLES.resolve(example.file());
        Set<String> allowed = IamPolicyCommandTest.actions(IamPolicyCommandTest.policy(file));
        String nodeA = example.nodes().get(0);
        String nodeB = example.nodes().get(1);
        String target = example.service() + "/" + example.resource();
        Set<String> called = new TreeSet<>();
        try (NetworkNamespace namespaceA = NetworkNamespace.create();
                NetworkNamespace namespaceB = NetworkNamespace.create();
                AwsFaultInjector proxyA = AwsFaultInjector.start(endpoint.uri(), namespaceA.hostAddress());
                AwsFaultInjector proxyB = AwsFaultInjector.start(endpoint.uri(), namespaceB.hostAddress())) {
            if (example.type().equals("eni")) {
                // The interface the attachment hot-plugs, in each node's system.
                namespaceA.addLink("eni0", topology.dedicatedEni().mac());
                namespaceB.addLink("eni0", topology.dedicatedEni().mac());
            }
            List<NetworkNamespace> namespaces = List.of(namespaceA, namespaceB);
            Path configA = write(file, "a", sameSubnetOverrides(example, topology, endpoint, proxyA, namespaces));
            Path configB = write(file, "b", sameSubnetOverrides(example, topology, endpoint, proxyB, namespaces));
            Map<String, String> noImds = Map.of("AWS_EC2_METADATA_DISABLED", "true");
            KawariProcess a = new KawariProcess(namespaceA, endpoint, noImds, dir);
            KawariProcess b = new KawariProcess(namespaceB, endpoint, noImds, dir);
            String[] onA = {"--config", configA.toString(), "--node", nodeA};
            String[] onB = {"--config", configB.toString(), "--node", nodeB};

            expect(a.run("validate", "--live", "--node", nodeA, configA.toString()), 0);
            expect(a.run(concat("restore", target, onA)), 0);
            KawariProcess.Run healthy = expect(a.run(concat("check", target, onA)), 0);
            assertThat(healthy.out()).contains(target + ": healthy", example.service() + "/monitor:"
                    + example.resource() + ": healthy");
            expect(a.run(concat("remove", target, onA)), 0);
            expect(b.run("validate", "--live", "--node", nodeB, configB.toString()), 0);
            expect(b.run(concat("restore", target, onB)), 0);
            expect(b.run(concat("check", target, onB)), 0);
            expect(a.run(concat("check", target, onA)), 1);
            expect(a.run(concat("restore", target, onA)), 0);
            expect(a.run(concat("check", target, onA)), 0);
            expect(a.run(concat("remove", target, onA)), 0);

            for (AwsFaultInjector proxy : List.of(proxyA, proxyB)) {
                proxy.requests().forEach(request -> called.add("ec2:" + request.action()));
            }
        }

        assertThat(called).as("AWS operations made by the kawari processes of %s against the emulator",
                example.file()).isEqualTo(allowed);
    }

    private static KawariProcess.Run expect(KawariProcess.Run run, int code) {
        assertThat(run.code()).as("%s", run).isEqualTo(code);
        return run;
    }

    private static String[] concat(String command, String target, String[] rest) {
        String[] all = new String[rest.length + 2];
        all[0] = command;
        all[1] = target;
        System.arraycopy(rest, 0, all, 2, rest.length);
        return all;
    }

    /** The example as it is, followed by the overrides: what the node reads. */
    private Path write(Path example, String node, String overrides) throws java.io.IOException {
        Path file = dir.resolve("kawari-" + node + ".conf");
        java.nio.file.Files.writeString(file, java.nio.file.Files.readString(example) + "\n" + overrides);
        return file;
    }

    /** The emulator's ids and this node's proxy instead of the example's; each node's interface in its namespace. */
    private String sameSubnetOverrides(SameSubnetExample example, Ec2Topology topology, AwsEndpoint endpoint,
            AwsFaultInjector proxy, List<NetworkNamespace> namespaces) {
        StringBuilder hocon = new StringBuilder();
        hocon.append("kawari.aws { region = \"").append(endpoint.region()).append("\", endpoints { ec2 = \"")
                .append(proxy.uri()).append("\" } }\n");
        hocon.append("kawari.event-log = \"").append(dir.resolve("events.jsonl")).append("\"\n");
        for (int i = 0; i < 2; i++) {
            Ec2Topology.Node node = topology.nodes().get(i);
            hocon.append("kawari.nodes.").append(example.nodes().get(i)).append(" { instance-id = \"")
                    .append(node.instanceId()).append("\", eni = \"").append(node.eni()).append("\", region = \"")
                    .append(endpoint.region()).append("\", interface = \"").append(namespaces.get(i).device())
                    .append("\" }\n");
        }
        String resources = "kawari.services." + example.service() + ".resources.";
        for (String dependent : example.dependents()) {
            hocon.append(resources).append(dependent).append(" { start = [\"true\"], stop = [\"true\"],"
                    + " check = [\"true\"] }\n");
        }
        String resource = resources + example.resource();
        if (example.type().equals("secondary-ip")) {
            hocon.append(resource).append(".address = \"").append(Ec2Topology.freeAddress(endpoint.ec2(),
                    topology.subnetOf(topology.nodeA()))).append("\"\n");
        } else {
            hocon.append(resource).append(".eni-id = \"").append(topology.dedicatedEni().id()).append("\"\n");
        }
        return hocon.toString();
    }
}
