package dev.kawari.kit.secondaryip;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.kawari.aws.InterfaceAddresses;
import dev.kawari.spi.CheckResult;
import dev.kawari.spi.NodeIdentity;
import dev.kawari.spi.OperationContext;
import dev.kawari.spi.TimeSource;
import dev.kawari.testkit.KitConfigs;
import dev.kawari.testkit.OperationContexts;
import dev.kawari.testkit.TestKitContext;
import dev.kawari.testkit.aws.AwsEndpointExtension;
import dev.kawari.testkit.aws.Ec2Topology;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * What real AWS does and the emulator does not (TESTING.md: moto copies a reassigned secondary
 * address instead of moving it): after a takeover with {@code AllowReassignment}, the address leaves
 * the old holder's interface, so the old holder's check is Unhealthy even though it never removed
 * the address. Tagged {@code aws-live}, so the default build leaves it out; run it against an account
 * with {@code KAWARI_AWS_ENDPOINT=https://ec2.REGION.amazonaws.com}, {@code AWS_REGION}, credentials
 * and {@code -Dgroups=aws-live}. It creates a VPC, a subnet and two network interfaces (no instance),
 * and deletes them again.
 */
@Tag("aws-live")
class AwsBehaviourLiveIT {
    @RegisterExtension
    static final AwsEndpointExtension aws = new AwsEndpointExtension(false);

    @Test
    void aReassignedAddressLeavesTheOldHoldersInterface() throws Exception {
        try (Ec2Client ec2 = aws.endpoint().ec2()) {
            String vpc = ec2.createVpc(request -> request.cidrBlock("10.77.0.0/16")).vpc().vpcId();
            try {
                String subnet = ec2.createSubnet(request -> request.vpcId(vpc).cidrBlock("10.77.1.0/24")).subnet()
                        .subnetId();
                String eniA = ec2.createNetworkInterface(request -> request.subnetId(subnet)).networkInterface()
                        .networkInterfaceId();
                String eniB = ec2.createNetworkInterface(request -> request.subnetId(subnet)).networkInterface()
                        .networkInterfaceId();
                try {
                    moveBetween(ec2, eniA, eniB);
                } finally {
                    ec2.deleteNetworkInterface(request -> request.networkInterfaceId(eniA));
                    ec2.deleteNetworkInterface(request -> request.networkInterfaceId(eniB));
                    ec2.deleteSubnet(request -> request.subnetId(subnet));
                }
            } finally {
                ec2.deleteVpc(request -> request.vpcId(vpc));
            }
        }
    }

    private static void moveBetween(Ec2Client ec2, String eniA, String eniB) throws Exception {
        String address = "10.77.1.50";
        NodeIdentity a = new NodeIdentity("node-a", Map.of("eni", eniA, "region", aws.endpoint().region()));
        NodeIdentity b = new NodeIdentity("node-b", Map.of("eni", eniB, "region", aws.endpoint().region()));
        Map<String, NodeIdentity> nodes = new LinkedHashMap<>();
        nodes.put("node-a", a);
        nodes.put("node-b", b);
        TestKitContext context = new TestKitContext("live", nodes).withSection("aws",
                ConfigFactory.parseString(aws.endpoint().awsSectionHocon()).getConfig("aws"));
        // Each node has its own type, as two hosts would; no local address (nothing runs on these interfaces).
        SecondaryIpResourceType typeA = new SecondaryIpResourceType(SecondaryIpFixture.NO_IMDS,
                InterfaceAddresses.system(), Duration.ofMillis(1), TimeSource.system());
        SecondaryIpResourceType typeB = new SecondaryIpResourceType(SecondaryIpFixture.NO_IMDS,
                InterfaceAddresses.system(), Duration.ofMillis(1), TimeSource.system());
        String block = "address = \"" + address + "\", local-address = false";
        try (var onA = typeA.create(KitConfigs.resource("secondary-ip", block), context);
                var onB = typeB.create(KitConfigs.resource("secondary-ip", block), context)) {
            assertThat(context.problems()).isEmpty();
            onA.restore(on(a));
            assertThat(onA.check(on(a)).status()).isEqualTo(CheckResult.Status.HEALTHY);

            onB.restore(on(b)); // a takeover: node A never removed the address

            assertThat(Ec2Topology.privateAddresses(ec2, eniB)).contains(address);
            long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (Ec2Topology.privateAddresses(ec2, eniA).contains(address) && System.nanoTime() - until < 0) {
                Thread.sleep(1000);
            }
            assertThat(Ec2Topology.privateAddresses(ec2, eniA)).as("node A's interface after the move")
                    .doesNotContain(address);
            Thread.sleep(10);
            assertThat(onA.check(on(a)).status()).isEqualTo(CheckResult.Status.UNHEALTHY);
            assertThat(onB.check(on(b)).status()).isEqualTo(CheckResult.Status.HEALTHY);

            onB.remove(on(b));
            assertThat(Ec2Topology.privateAddresses(ec2, eniB)).doesNotContain(address);
        }
    }

    private static OperationContext on(NodeIdentity node) {
        return OperationContexts.builder().node(node).deadline(Duration.ofMinutes(2)).build();
    }
}
