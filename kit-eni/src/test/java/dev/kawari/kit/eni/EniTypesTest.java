package dev.kawari.kit.eni;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kawari.aws.HostCommands;
import dev.kawari.spi.NodeIdentity;
import dev.kawari.spi.Resource;
import dev.kawari.testkit.KitConfigs;
import dev.kawari.testkit.TestKitContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@code eni} checks when a configuration is loaded, without AWS. */
class EniTypesTest {
    private final EniResourceType type = new EniResourceType(EniFixture.NO_IMDS, HostCommands.system());

    private static TestKitContext twoNodes() {
        Map<String, NodeIdentity> nodes = new LinkedHashMap<>();
        nodes.put("node-a", new NodeIdentity("node-a", Map.of("instance-id", "i-0123456789abcdef0")));
        nodes.put("node-b", new NodeIdentity("node-b", Map.of("instance-id", "i-0123456789abcdef1",
                "eni", "eni-0123456789abcdef1")));
        return new TestKitContext("test", nodes);
    }

    @Test
    void aValidBlockTakesTheDefaults() {
        TestKitContext context = twoNodes();

        Resource resource = type.create(KitConfigs.resource("eni", "eni-id = \"eni-0123456789abcdef0\""), context);

        assertThat(context.problems()).isEmpty();
        EniSettings settings = ((EniResource) resource).settings();
        assertThat(settings.deviceIndex()).isEqualTo(1);
        assertThat(settings.forceDetach()).isFalse();
        assertThat(settings.detachOnRemove()).isFalse();
        assertThat(settings.upCommand()).isEmpty();
        assertThat(settings.routingTable()).isEqualTo(10001);
        assertThat(settings.restoreTimeout()).hasMinutes(3);
        resource.close();
    }

    @Test
    void everyBadValueIsReportedAtItsKey() {
        TestKitContext context = twoNodes();

        type.create(KitConfigs.resource("eni", "eni-id = \"eni-xyz\", device-index = 1.5, force-detach = maybe,"
                + " detach-on-remove = 0, up-command = [], down-command = {a = b}, timeouts.check = 0s"), context);

        assertThat(context.problemKeys()).containsExactlyInAnyOrder("eni-id", "device-index", "force-detach",
                "detach-on-remove", "up-command", "down-command", "timeouts.check");
    }

    @Test
    void theEniOfANodeIsRefused() {
        TestKitContext context = twoNodes();

        type.create(KitConfigs.resource("eni", "eni-id = \"eni-0123456789abcdef1\""), context);

        assertThat(context.problemsOn("eni-id")).singleElement().satisfies(problem ->
                assertThat(problem.message()).contains("primary network interface (eni) of node 'node-b'"));
    }

    @Test
    void placeholdersAreReplacedInsideArguments() {
        List<String> expanded = EniSettings.expand(List.of("sh", "-c", "ip addr add {address}/{prefix} dev {device}",
                "{gateway}", "{mac}", "{unknown}"), Map.of("device", "eth1", "address", "10.0.1.9", "prefix", "24",
                "gateway", "10.0.1.1", "mac", "02:00:00:00:00:01"));

        assertThat(expanded).containsExactly("sh", "-c", "ip addr add 10.0.1.9/24 dev eth1", "10.0.1.1",
                "02:00:00:00:00:01", "{unknown}");
    }

    @Test
    void theIamActionsIncludeDetachWhateverTheConfiguration() {
        assertThat(type.iamActions(KitConfigs.resource("eni", "eni-id = \"eni-0123456789abcdef0\"").config()))
                .containsExactly("ec2:AttachNetworkInterface", "ec2:DescribeNetworkInterfaces",
                        "ec2:DescribeSubnets", "ec2:DetachNetworkInterface");
    }

    @Test
    void theMonitorWatchesOnlyEniResources() {
        TestKitContext problems = twoNodes();
        Resource other = new Resource() {
            @Override
            public void restore(dev.kawari.spi.OperationContext context) {
            }

            @Override
            public void remove(dev.kawari.spi.OperationContext context) {
            }

            @Override
            public dev.kawari.spi.CheckResult check(dev.kawari.spi.OperationContext context) {
                return dev.kawari.spi.CheckResult.healthy();
            }
        };

        new EniMonitorType().create(KitConfigs.monitor("eni", ""), problems.withResource(KitConfigs.RESOURCE_ID, other));

        assertThat(problems.problemKeys()).containsExactly("target");
    }
}
