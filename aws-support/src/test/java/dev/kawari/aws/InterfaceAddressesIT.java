package dev.kawari.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kawari.spi.Deadline;
import dev.kawari.spi.KawariException;
import dev.kawari.spi.NodeIdentity;
import dev.kawari.spi.TimeSource;
import dev.kawari.testkit.aws.Ec2Topology;
import dev.kawari.testkit.aws.ImdsStub;
import dev.kawari.testkit.aws.NetworkNamespace;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Local addresses changed with the real {@code ip}, inside a network namespace the test creates. */
class InterfaceAddressesIT {
    private static final Ipv4Address VIP = Ipv4Address.parse("198.51.100.10").orElseThrow();

    private NetworkNamespace namespace;
    private InterfaceAddresses addresses;

    @BeforeEach
    void create() {
        namespace = NetworkNamespace.create();
        addresses = new InterfaceAddresses(namespace.ipCommand());
    }

    @AfterEach
    void delete() {
        namespace.close();
    }

    private static Deadline deadline() {
        return Deadline.after(Duration.ofSeconds(10), TimeSource.system());
    }

    @Test
    void addIsIdempotentAndVerified() {
        addresses.add(namespace.device(), VIP, deadline());
        addresses.add(namespace.device(), VIP, deadline());

        assertThat(namespace.addresses()).containsOnlyOnce("198.51.100.10/32");
        assertThat(addresses.has(namespace.device(), VIP, deadline())).isTrue();
    }

    @Test
    void deleteIsIdempotentAndLeavesOtherAddressesAlone() {
        namespace.addAddress("198.51.100.11/32");
        addresses.add(namespace.device(), VIP, deadline());

        addresses.delete(namespace.device(), VIP, deadline());
        addresses.delete(namespace.device(), VIP, deadline());

        assertThat(namespace.addresses()).doesNotContain("198.51.100.10/32").contains("198.51.100.11/32");
    }

    @Test
    void anAddressIsMatchedWholeNeverAsAPrefix() {
        namespace.addAddress("198.51.100.100/32");

        assertThat(addresses.has(namespace.device(), VIP, deadline())).isFalse();
    }

    @Test
    void aMissingInterfaceIsAClearError() {
        KawariException failure = catchThrowableOfType(KawariException.class,
                () -> addresses.add("nosuchdev0", VIP, deadline()));

        assertThat(failure.code()).isEqualTo(AwsErrorCodes.LOCAL_ADDRESS_FAILED);
        assertThat(failure.getMessage()).contains("nosuchdev0").contains("exited");
    }

    @Test
    void theNodesInterfaceIsFoundByTheMacAddressImdsGives() throws Exception {
        String mac = "02:00:00:5e:10:01";
        namespace.setMacAddress(mac);
        try (ImdsStub imds = ImdsStub.start()) {
            imds.serve(new Ec2Topology.Node("node-a", "i-0123456789abcdef0", "eni-0123456789abcdef0", mac, "10.0.1.4",
                    "us-east-1a"), "us-east-1", "vpc-0123456789abcdef0");

            Ec2Node node = new Ec2Nodes(InstanceMetadata.at(imds.uri()), addresses).resolve(
                    NodeIdentity.named("node-a"), Optional.empty(), true, deadline());

            assertThat(node.device()).contains(namespace.device());
            assertThat(node.eni()).isEqualTo("eni-0123456789abcdef0");
        }
    }

    @Test
    void anAddressWithASubnetPrefixIsAddedOnceAndDeletedWhateverItsPrefix() {
        Ipv4Address address = Ipv4Address.parse("10.0.1.50").orElseThrow();

        addresses.add(namespace.device(), address, 24, deadline());
        addresses.add(namespace.device(), address, 24, deadline());

        assertThat(namespace.addresses()).containsOnlyOnce("10.0.1.50/24");
        assertThat(addresses.carries(namespace.device(), address, deadline())).isTrue();
        assertThat(addresses.has(namespace.device(), address, deadline())).as("has means /32").isFalse();

        addresses.deleteAnyPrefix(namespace.device(), address, deadline());
        addresses.deleteAnyPrefix(namespace.device(), address, deadline());

        assertThat(namespace.addresses()).noneMatch(cidr -> cidr.startsWith("10.0.1.50/"));
    }

    @Test
    void aLinkIsSetUpAndDownIdempotently() {
        namespace.addLink("kwtest0", "02:00:00:5e:10:02");

        assertThat(addresses.isUp("kwtest0", deadline())).isFalse();
        addresses.setUp("kwtest0", true, deadline());
        addresses.setUp("kwtest0", true, deadline());
        assertThat(namespace.isUp("kwtest0")).isTrue();
        assertThat(addresses.deviceWithMac("02:00:00:5e:10:02", deadline())).contains("kwtest0");

        addresses.setUp("kwtest0", false, deadline());

        assertThat(namespace.isUp("kwtest0")).isFalse();
    }
}
