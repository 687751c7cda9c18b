package dev.kawari.aws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Ipv4Test {
    @Test
    void addressesParseStrictly() {
        assertThat(Ipv4Address.parse("198.51.100.10")).map(Ipv4Address::toString).contains("198.51.100.10");
        assertThat(Ipv4Address.parse("255.255.255.255")).isPresent();
        assertThat(Ipv4Address.parse("10.0.0.256")).isEmpty();
        assertThat(Ipv4Address.parse("10.0.0.01")).isEmpty();
        assertThat(Ipv4Address.parse("10.0.0")).isEmpty();
        assertThat(Ipv4Address.parse("10.0.0.1/32")).isEmpty();
        assertThat(Ipv4Address.parse("vip.example.com")).isEmpty();
        assertThat(Ipv4Address.parse(" 10.0.0.1")).isEmpty();
    }

    @Test
    void unicastHostsExcludeLoopbackMulticastAndZero() {
        assertThat(Ipv4Address.parse("10.200.0.10").orElseThrow().isUnicastHost()).isTrue();
        assertThat(Ipv4Address.parse("127.0.0.1").orElseThrow().isUnicastHost()).isFalse();
        assertThat(Ipv4Address.parse("224.0.0.1").orElseThrow().isUnicastHost()).isFalse();
        assertThat(Ipv4Address.parse("0.1.2.3").orElseThrow().isUnicastHost()).isFalse();
        assertThat(Ipv4Address.parse("255.255.255.255").orElseThrow().isUnicastHost()).isFalse();
    }

    @Test
    void blocksContainExactlyTheirAddresses() {
        Ipv4Cidr vpc = Ipv4Cidr.parse("10.0.0.0/16").orElseThrow();

        assertThat(vpc.contains(Ipv4Address.parse("10.0.255.255").orElseThrow())).isTrue();
        assertThat(vpc.contains(Ipv4Address.parse("10.1.0.0").orElseThrow())).isFalse();
        assertThat(Ipv4Cidr.parse("10.0.3.7/16")).map(Ipv4Cidr::toString).contains("10.0.0.0/16");
        assertThat(Ipv4Cidr.parse("0.0.0.0/0").orElseThrow().contains(Ipv4Address.parse("8.8.8.8").orElseThrow()))
                .isTrue();
        assertThat(Ipv4Cidr.parse("10.0.0.0/33")).isEmpty();
        assertThat(Ipv4Cidr.parse("10.0.0.0")).isEmpty();
    }

    @Test
    void aHostCidrIsSlash32() {
        assertThat(Ipv4Address.parse("1.2.3.4").orElseThrow().hostCidr()).isEqualTo("1.2.3.4/32");
    }
}
