package dev.kawari.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kawari.agent.KawariProcess.Run;
import dev.kawari.testkit.aws.AwsEndpoint;
import dev.kawari.testkit.aws.AwsEndpointExtension;
import dev.kawari.testkit.aws.AwsFaultInjector;
import dev.kawari.testkit.aws.Ec2Topology;
import dev.kawari.testkit.aws.ImdsStub;
import dev.kawari.testkit.aws.NetworkNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kawari} as a real process inside a network namespace standing in for node A's operating
 * system: it learns who it is from IMDSv2 (a stub reached over the namespace's veth), calls the
 * emulator over the veth (through a pass-through proxy on the host end), puts the virtual IP on its
 * own interface with the real {@code ip}, and points every route table at its ENI.
 */
class NamespacedNodeIT {
    private static final String VIP = "198.51.100.10";

    @RegisterExtension
    static final AwsEndpointExtension aws = new AwsEndpointExtension();

    @TempDir
    Path dir;

    @Test
    void aNodeLearnsItsIdentityFromImdsAndTakesTheVirtualIp() throws Exception {
        AwsEndpoint endpoint = aws.endpoint();
        var ec2 = endpoint.ec2();
        Ec2Topology topology = Ec2Topology.create(ec2);
        try (NetworkNamespace namespace = NetworkNamespace.create();
                AwsFaultInjector proxy = AwsFaultInjector.start(endpoint.uri(), namespace.hostAddress());
                ImdsStub imds = ImdsStub.start(namespace.hostAddress())) {
            imds.serve(topology.nodeA(), endpoint.region(), topology.vpcId());
            Path file = dir.resolve("kawari.conf");
            Ec2Topology.Node b = topology.nodeB();
            Files.writeString(file, """
                    kawari {
                      cluster = namespaced
                      %s
                      nodes {
                        # Everything but the interface name comes from IMDSv2.
                        node-a { priority = 1, interface = "%s" }
                        node-b { priority = 2, instance-id = "%s", eni = "%s", region = "%s" }
                      }
                      services.sql {
                        resources.vip { type = ec2-route-table, address = "%s", route-tables = [%s] }
                        monitors.routes { type = ec2-route-table, target = vip }
                      }
                    }
                    """.formatted(endpoint.awsSectionHocon(proxy.uri()), namespace.device(), b.instanceId(), b.eni(),
                    endpoint.region(), VIP, String.join(", ", topology.routeTableIds().stream()
                            .map(id -> "\"" + id + "\"").toList())));

            Run verify = kawari(namespace, imds, endpoint, "validate", "--live", "--node", "node-a", file.toString());
            Run restore = kawari(namespace, imds, endpoint, "restore", "sql", "--config", file.toString(), "--node",
                    "node-a");

            assertThat(verify.code()).as("validate --live: %s", verify).isZero();
            assertThat(restore.code()).as("restore: %s", restore).isZero();
            assertThat(namespace.addresses()).contains(VIP + "/32");
            assertThat(topology.routeTargets(ec2, VIP + "/32")).containsAllEntriesOf(Map.of(
                    topology.routeTableIds().get(0), Optional.of(topology.nodeA().eni()),
                    topology.routeTableIds().get(1), Optional.of(topology.nodeA().eni()),
                    topology.routeTableIds().get(2), Optional.of(topology.nodeA().eni())));

            Run check = kawari(namespace, imds, endpoint, "check", "sql", "--config", file.toString(), "--node",
                    "node-a");
            Run remove = kawari(namespace, imds, endpoint, "remove", "sql", "--config", file.toString(), "--node",
                    "node-a");

            assertThat(check.code()).as("check: %s", check).isZero();
            assertThat(check.out()).contains("sql/vip: healthy").contains("sql/monitor:routes: healthy");
            assertThat(remove.code()).as("remove: %s", remove).isZero();
            assertThat(namespace.addresses()).doesNotContain(VIP + "/32");
            assertThat(imds.tokensIssued()).isPositive();
            assertThat(imds.tokenlessRequests()).as("IMDSv1 requests").isZero();
        }
    }

    private Run kawari(NetworkNamespace namespace, ImdsStub imds, AwsEndpoint endpoint, String... arguments)
            throws Exception {
        return new KawariProcess(namespace, endpoint, Map.of("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.uri().toString()),
                dir).run(arguments);
    }
}
