package dev.kawari.aws;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An IPv4 address, parsed strictly: four decimal parts without leading zeros, no host names, no
 * prefix length.
 *
 * @param bits the address as 32 bits
 */
public record Ipv4Address(int bits) {
    private static final Pattern DOTTED = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    /** The address written as {@code text}, if it is a dotted-quad IPv4 address. */
    public static Optional<Ipv4Address> parse(String text) {
        Matcher matcher = DOTTED.matcher(text);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        int bits = 0;
        for (int i = 1; i <= 4; i++) {
            String part = matcher.group(i);
            int value = Integer.parseInt(part);
            if (value > 255 || part.length() > 1 && part.startsWith("0")) {
                return Optional.empty();
            }
            bits = bits << 8 | value;
        }
        return Optional.of(new Ipv4Address(bits));
    }

    /** The address as {@code a.b.c.d/32}, the form of a host route and of a local address. */
    public String hostCidr() {
        return this + "/32";
    }

    /** Whether the address can be a unicast host address (not 0/8, loopback, multicast, reserved or broadcast). */
    public boolean isUnicastHost() {
        int first = bits >>> 24;
        return first != 0 && first != 127 && first < 224;
    }

    @Override
    public String toString() {
        return (bits >>> 24) + "." + (bits >>> 16 & 0xff) + "." + (bits >>> 8 & 0xff) + "." + (bits & 0xff);
    }
}
