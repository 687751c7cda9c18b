package dev.kawari.kit.route53;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A DNS server the check asks, given by address (never by name: asking DNS where DNS is would be
 * circular): {@code 10.0.0.2}, {@code 10.20.0.10:53}, {@code ::1} or {@code [::1]:5353}.
 *
 * @param address where queries go (UDP, then TCP for a truncated answer)
 */
record DnsServer(InetSocketAddress address) {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3}(?:\\.\\d{1,3}){3})(?::(\\d{1,5}))?");
    private static final Pattern BRACKETED_IPV6 = Pattern.compile("\\[([0-9a-fA-F:.]+)](?::(\\d{1,5}))?");
    private static final Pattern BARE_IPV6 = Pattern.compile("[0-9a-fA-F]*:[0-9a-fA-F:.]*");

    DnsServer {
        Objects.requireNonNull(address, "address");
    }

    /** The server written as {@code written}, or empty when it is not an address with an optional port. */
    static Optional<DnsServer> parse(String written) {
        String text = written.trim();
        Matcher v4 = IPV4.matcher(text);
        if (v4.matches()) {
            if (dev.kawari.aws.Ipv4Address.parse(v4.group(1)).isEmpty()) {
                return Optional.empty();
            }
            return at(v4.group(1), v4.group(2));
        }
        Matcher v6 = BRACKETED_IPV6.matcher(text);
        if (v6.matches()) {
            return at(v6.group(1), v6.group(2));
        }
        if (BARE_IPV6.matcher(text).matches()) {
            return at(text, null);
        }
        return Optional.empty();
    }

    private static Optional<DnsServer> at(String host, String port) {
        int number = port == null ? 53 : Integer.parseInt(port);
        if (number < 1 || number > 65535) {
            return Optional.empty();
        }
        try {
            // A literal address: no lookup happens.
            return Optional.of(new DnsServer(new InetSocketAddress(InetAddress.getByName(host), number)));
        } catch (UnknownHostException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        InetAddress host = address.getAddress();
        String text = host.getHostAddress();
        return (host instanceof java.net.Inet6Address ? "[" + text + "]" : text) + ":" + address.getPort();
    }
}
