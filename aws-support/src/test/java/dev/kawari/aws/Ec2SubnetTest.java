package dev.kawari.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kawari.spi.NodeIdentity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Subnet addresses AWS reserves, and the same-zone rule's messages. */
class Ec2SubnetTest {
    private static Ipv4Address ip(String text) {
        return Ipv4Address.parse(text).orElseThrow();
    }

    private static final Ec2Subnet SUBNET = new Ec2Subnet("subnet-0123456789abcdef0", "vpc-0123456789abcdef0",
            "us-east-1a", Ipv4Cidr.parse("10.0.1.16/28").orElseThrow());

    @Test
    void theFirstFourAndTheLastAddressAreReserved() {
        assertThat(SUBNET.reservation(ip("10.0.1.16"))).hasValueSatisfying(why -> assertThat(why).contains("network"));
        assertThat(SUBNET.reservation(ip("10.0.1.17"))).hasValueSatisfying(why -> assertThat(why).contains("router"));
        assertThat(SUBNET.reservation(ip("10.0.1.18"))).hasValueSatisfying(why -> assertThat(why).contains("DNS"));
        assertThat(SUBNET.reservation(ip("10.0.1.19"))).hasValueSatisfying(why -> assertThat(why).contains("future"));
        assertThat(SUBNET.reservation(ip("10.0.1.31"))).hasValueSatisfying(why -> assertThat(why).contains("broadcast"));
        assertThat(SUBNET.reservation(ip("10.0.1.20"))).isEmpty();
        assertThat(SUBNET.reservation(ip("10.0.1.30"))).isEmpty();
        assertThat(SUBNET.router()).isEqualTo(ip("10.0.1.17"));
        assertThat(SUBNET.cidr().last()).isEqualTo(ip("10.0.1.31"));
    }

    private static NodePlacements.Placement placed(String node, String subnet, String zone) {
        return new NodePlacements.Placement(node, Optional.of("i-" + node), "eni-" + node, subnet, zone,
                "vpc-0123456789abcdef0", Map.of());
    }

    @Test
    void oneSubnetIsKeptOrBrokenWithEveryNodeNamed() {
        Ec2Subnet other = new Ec2Subnet("subnet-1", "vpc-0123456789abcdef0", "us-east-1b",
                Ipv4Cidr.parse("10.0.2.0/24").orElseThrow());
        Map<String, Ec2Subnet> subnets = Map.of(SUBNET.id(), SUBNET, other.id(), other);

        assertThat(SameZoneRule.oneSubnet("secondary IP 10.0.1.20", SUBNET, List.of(placed("a", SUBNET.id(),
                "us-east-1a"), placed("b", SUBNET.id(), "us-east-1a")), subnets)).isEmpty();
        assertThat(SameZoneRule.oneSubnet("secondary IP 10.0.1.20", SUBNET, List.of(placed("a", SUBNET.id(),
                "us-east-1a"), placed("b", other.id(), "us-east-1b")), subnets)).hasValueSatisfying(message ->
                        assertThat(message).contains("in 2 subnets")
                                .contains("a (i-a, eni-a) in subnet-0123456789abcdef0 (10.0.1.16/28, us-east-1a)")
                                .contains("b (i-b, eni-b) in subnet-1 (10.0.2.0/24, us-east-1b)")
                                .contains(SameZoneRule.MULTI_AZ_ADVICE));
    }

    @Test
    void oneZoneAllowsOtherSubnetsOfTheZone() {
        Ec2Subnet sameZone = new Ec2Subnet("subnet-2", "vpc-0123456789abcdef0", "us-east-1a",
                Ipv4Cidr.parse("10.0.3.0/24").orElseThrow());
        Map<String, Ec2Subnet> subnets = Map.of(SUBNET.id(), SUBNET, sameZone.id(), sameZone);

        assertThat(SameZoneRule.oneZone("dedicated ENI eni-x", SUBNET, List.of(placed("a", SUBNET.id(), "us-east-1a"),
                placed("b", sameZone.id(), "us-east-1a")), subnets)).isEmpty();
        assertThat(SameZoneRule.oneZone("dedicated ENI eni-x", SUBNET, List.of(placed("a", SUBNET.id(), "us-east-1a"),
                placed("b", "subnet-9", "us-east-1c")), subnets)).hasValueSatisfying(message ->
                        assertThat(message).contains("'b' runs elsewhere").contains("b (i-b, eni-b) in subnet-9"
                                + " (us-east-1c)"));
    }

    @Test
    void atLoadEveryNodeMustBeIdentifiableAndInOneRegion() {
        Map<String, NodeIdentity> nodes = new LinkedHashMap<>();
        nodes.put("a", new NodeIdentity("a", Map.of("instance-id", "i-0123456789abcdef0")));
        nodes.put("b", new NodeIdentity("b", Map.of("region", "eu-west-1")));
        List<String> problems = new ArrayList<>();

        SameZoneRule.checkAtLoad("secondary IP 10.0.1.20", "one subnet", nodes, Optional.of("us-east-1"),
                (key, message) -> problems.add(message));

        assertThat(problems).hasSize(2);
        assertThat(problems.get(0)).contains("node 'b' has neither instance-id nor eni");
        assertThat(problems.get(1)).contains("a in us-east-1, b in eu-west-1");
    }
}
