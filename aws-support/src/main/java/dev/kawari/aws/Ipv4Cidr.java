package dev.kawari.aws;

import java.util.Objects;
import java.util.Optional;

/**
 * An IPv4 block such as {@code 10.0.0.0/16}.
 *
 * @param network the first address of the block
 * @param prefixLength 0 to 32
 */
public record Ipv4Cidr(Ipv4Address network, int prefixLength) {
    public Ipv4Cidr {
        Objects.requireNonNull(network, "network");
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length must be 0 to 32: " + prefixLength);
        }
    }

    /** The block written as {@code text} ({@code a.b.c.d/n}); host bits are cleared. */
    public static Optional<Ipv4Cidr> parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            return Optional.empty();
        }
        int length;
        try {
            length = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (length < 0 || length > 32) {
            return Optional.empty();
        }
        return Ipv4Address.parse(text.substring(0, slash))
                .map(address -> new Ipv4Cidr(new Ipv4Address(address.bits() & mask(length)), length));
    }

    public boolean contains(Ipv4Address address) {
        return (address.bits() & mask(prefixLength)) == network.bits();
    }

    /** The address {@code offset} after the first one of the block (AWS's VPC router is at offset 1). */
    public Ipv4Address offset(int offset) {
        return new Ipv4Address(network.bits() + offset);
    }

    /** The last address of the block (its broadcast address). */
    public Ipv4Address last() {
        return new Ipv4Address(network.bits() | ~mask(prefixLength));
    }

    private static int mask(int length) {
        return length == 0 ? 0 : -1 << (32 - length);
    }

    @Override
    public String toString() {
        return network + "/" + prefixLength;
    }
}
