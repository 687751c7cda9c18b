package dev.kawari.kit.secondaryip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kawari.aws.InterfaceAddresses;
import dev.kawari.spi.NodeIdentity;
import dev.kawari.spi.Resource;
import dev.kawari.testkit.KitConfigs;
import dev.kawari.testkit.TestKitContext;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@code secondary-ip} checks when a configuration is loaded, without AWS. */
class SecondaryIpTypesTest {
    private final SecondaryIpResourceType type = new SecondaryIpResourceType(SecondaryIpFixture.NO_IMDS,
            InterfaceAddresses.system());

    private static TestKitContext cluster(NodeIdentity... nodes) {
        Map<String, NodeIdentity> byName = new LinkedHashMap<>();
        for (NodeIdentity node : nodes) {
            byName.put(node.name(), node);
        }
        return new TestKitContext("test", byName);
    }

    private static NodeIdentity node(String name, String... attributes) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < attributes.length; i += 2) {
            values.put(attributes[i], attributes[i + 1]);
        }
        return new NodeIdentity(name, values);
    }

    private static TestKitContext twoNodes() {
        return cluster(node("node-a", "instance-id", "i-0123456789abcdef0"), node("node-b", "eni", "eni-0123456789abcdef0"));
    }

    @Test
    void aValidBlockTakesTheDefaults() {
        TestKitContext context = twoNodes();

        Resource resource = type.create(KitConfigs.resource("secondary-ip", "address = \"10.0.1.50\""), context);

        assertThat(context.problems()).isEmpty();
        SecondaryIpSettings settings = ((SecondaryIpResource) resource).settings();
        assertThat(settings.unassignOnRemove()).isTrue();
        assertThat(settings.localAddress()).isTrue();
        assertThat(settings.restoreTimeout()).hasMinutes(2);
        resource.close();
    }

    @Test
    void everyBadValueIsReportedAtItsKey() {
        TestKitContext context = twoNodes();

        type.create(KitConfigs.resource("secondary-ip", "address = \"10.0.1.256\", unassign-on-remove = yes,"
                + " local-address = 1, timeouts.restore = 5"), context);

        assertThat(context.problemKeys()).containsExactlyInAnyOrder("address", "unassign-on-remove", "local-address",
                "timeouts.restore");
    }

    @Test
    void aMissingAddressIsReported() {
        TestKitContext context = twoNodes();

        type.create(KitConfigs.resource("secondary-ip", ""), context);

        assertThat(context.problemsOn("address")).singleElement()
                .satisfies(problem -> assertThat(problem.message()).contains("missing required key 'address'"));
    }

    @Test
    void aNodeThatCannotBePlacedIsReportedAtTheBlock() {
        TestKitContext context = cluster(node("node-a", "instance-id", "i-0123456789abcdef0"), node("node-b"));

        type.create(KitConfigs.resource("secondary-ip", "address = \"10.0.1.50\""), context);

        assertThat(context.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.key()).isEmpty();
            assertThat(problem.message()).contains("secondary IP 10.0.1.50 needs every node in one subnet")
                    .contains("node 'node-b' has neither instance-id nor eni");
        });
    }

    @Test
    void aSingleNodeMayLearnItsIdentityFromImds() {
        TestKitContext context = cluster(node("node-a"));

        type.create(KitConfigs.resource("secondary-ip", "address = \"10.0.1.50\""), context).close();

        assertThat(context.problems()).isEmpty();
    }

    @Test
    void nodesInTwoRegionsAreReportedWithTheScenariosToUse() {
        TestKitContext context = cluster(node("node-a", "instance-id", "i-0123456789abcdef0", "region", "us-east-1"),
                node("node-b", "instance-id", "i-0123456789abcdef1", "region", "eu-west-1"));

        type.create(KitConfigs.resource("secondary-ip", "address = \"10.0.1.50\""), context);

        assertThat(context.problems()).singleElement().satisfies(problem -> assertThat(problem.message())
                .contains("node-a in us-east-1, node-b in eu-west-1").contains("ec2-route-table")
                .contains("Route 53"));
    }

    @Test
    void theIamActionsFollowTheConfiguration() {
        assertThat(type.iamActions(KitConfigs.resource("secondary-ip", "address = \"10.0.1.50\"").config()))
                .containsExactly("ec2:AssignPrivateIpAddresses", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets",
                        "ec2:UnassignPrivateIpAddresses");
        assertThat(type.iamActions(KitConfigs.resource("secondary-ip",
                "address = \"10.0.1.50\", unassign-on-remove = false").config()))
                .containsExactly("ec2:AssignPrivateIpAddresses", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets");
    }

    @Test
    void theMonitorWatchesOnlySecondaryIpResources() {
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

        new SecondaryIpMonitorType().create(KitConfigs.monitor("secondary-ip", ""),
                problems.withResource(KitConfigs.RESOURCE_ID, other));

        assertThat(problems.problemKeys()).containsExactly("target");
    }
}
