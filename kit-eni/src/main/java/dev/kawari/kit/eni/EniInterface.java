package dev.kawari.kit.eni;

import dev.kawari.aws.AwsErrorCodes;
import dev.kawari.aws.HostCommands;
import dev.kawari.aws.InterfaceAddresses;
import dev.kawari.aws.Ipv4Address;
import dev.kawari.aws.Ipv4Cidr;
import dev.kawari.aws.ReadBack;
import dev.kawari.spi.Deadline;
import dev.kawari.spi.KawariException;
import dev.kawari.spi.OperationContext;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The dedicated ENI as the operating system of this node sees it: the interface with the ENI's MAC
 * address, which appears some time after the attachment (hot plug) and disappears after the detach.
 *
 * <p>Without {@code up-command}, bringing it up is: link up; the ENI's primary address with the
 * subnet's prefix length; and source-based routing, so that replies from that address leave through
 * this interface (leaving through the primary one, whose ENI does not own the address, they would be
 * dropped by EC2's source/destination check): a routing table {@code 10000 + device-index} with the
 * subnet and a default route through the subnet's router, and a rule {@code from ADDRESS lookup
 * TABLE}. Taking it down undoes each step. Every step is idempotent. With {@code up-command} and
 * {@code down-command}, those commands do it instead (distributions differ: some configure a
 * hot-plugged interface themselves, others want {@code networkctl} or {@code dhclient}); the kit
 * still waits until the interface is up with its address.
 */
final class EniInterface {
    private final EniSettings settings;
    private final HostCommands host;
    private final InterfaceAddresses ip;

    /**
     * What the operating system's configuration of the ENI is made of.
     *
     * @param mac the ENI's MAC address, by which its interface is found
     * @param address the ENI's primary private address
     * @param subnet the ENI's subnet, whose prefix length and router the address uses
     */
    record Addressing(String mac, Ipv4Address address, Ipv4Cidr subnet) {
        Addressing {
            Objects.requireNonNull(mac, "mac");
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(subnet, "subnet");
        }

        Ipv4Address gateway() {
            return subnet.offset(1);
        }

        /** The placeholders' values for {@code device}. */
        Map<String, String> values(String device) {
            return Map.of("device", device, "address", address.toString(), "prefix",
                    String.valueOf(subnet.prefixLength()), "gateway", gateway().toString(), "mac", mac);
        }
    }

    EniInterface(EniSettings settings, HostCommands host) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.host = Objects.requireNonNull(host, "host");
        this.ip = host.interfaces();
    }

    /** The interface with {@code mac}, if this host has one now. */
    Optional<String> device(String mac, Deadline deadline) {
        return ip.deviceWithMac(mac, deadline);
    }

    /** The interface with {@code mac}, waiting within the deadline for it to appear after the attachment. */
    String awaitDevice(OperationContext context, String mac) {
        return ReadBack.until(context, () -> device(mac, context.deadline()), Optional::isPresent,
                none -> "the ENI " + settings.eniId() + " is attached, but no interface with its MAC address " + mac
                        + " has appeared on this host").orElseThrow();
    }

    /** Brings {@code device} up with the ENI's address; waits until it is up with it. */
    void bringUp(OperationContext context, String device, Addressing addressing) {
        Deadline deadline = context.deadline();
        if (settings.upCommand().isPresent()) {
            run("up-command", settings.upCommand().get(), device, addressing, deadline);
            ReadBack.until(context, () -> whyNotUp(device, addressing.address(), deadline), Optional::isEmpty,
                    why -> "after up-command, " + why.orElse(""));
            return;
        }
        ip.setUp(device, true, deadline);
        ip.add(device, addressing.address(), addressing.subnet().prefixLength(), deadline);
        String table = String.valueOf(settings.routingTable());
        ipOrFail(deadline, "-4", "route", "replace", addressing.subnet().toString(), "dev", device, "src",
                addressing.address().toString(), "table", table);
        ipOrFail(deadline, "-4", "route", "replace", "default", "via", addressing.gateway().toString(), "dev", device,
                "onlink", "table", table);
        if (!hasRule(addressing.address(), deadline)) {
            ipOrFail(deadline, "-4", "rule", "add", "from", addressing.address().toString(), "lookup", table,
                    "priority", table);
        }
    }

    /** Takes {@code device} down: the rule, the routing table, the address and the link. */
    void takeDown(OperationContext context, String device, Addressing addressing) {
        Deadline deadline = context.deadline();
        if (settings.downCommand().isPresent()) {
            run("down-command", settings.downCommand().get(), device, addressing, deadline);
            return;
        }
        String table = String.valueOf(settings.routingTable());
        for (int i = 0; i < 8 && hasRule(addressing.address(), deadline); i++) {
            ipOrFail(deadline, "-4", "rule", "del", "from", addressing.address().toString(), "lookup", table);
        }
        HostCommands.Result flushed = ip.ip(deadline, "-4", "route", "flush", "table", table);
        // An empty table does not exist for the kernel: nothing to flush.
        if (!flushed.succeeded() && !flushed.stderr().contains("Nothing to flush")
                && !flushed.stderr().contains("table does not exist")) {
            throw failed("flush routing table " + table, flushed);
        }
        ip.deleteAnyPrefix(device, addressing.address(), deadline);
        ip.setUp(device, false, deadline);
    }

    /** Why {@code device} is not in service ({@code "eth1 is down"}); empty when it is up with {@code address}. */
    Optional<String> whyNotUp(String device, Ipv4Address address, Deadline deadline) {
        if (!ip.isUp(device, deadline)) {
            return Optional.of(device + " is down");
        }
        if (!ip.carries(device, address, deadline)) {
            return Optional.of(device + " is up but does not have " + address);
        }
        return Optional.empty();
    }

    private boolean hasRule(Ipv4Address address, Deadline deadline) {
        HostCommands.Result rules = ip.ip(deadline, "-4", "rule", "show");
        if (!rules.succeeded()) {
            throw failed("list the routing rules", rules);
        }
        Pattern rule = Pattern.compile("\\bfrom " + Pattern.quote(address.toString()) + " lookup "
                + settings.routingTable() + "\\b");
        return rule.matcher(rules.stdout()).find();
    }

    private void ipOrFail(Deadline deadline, String... arguments) {
        HostCommands.Result result = ip.ip(deadline, arguments);
        if (!result.succeeded()) {
            throw failed(String.join(" ", arguments), result);
        }
    }

    private void run(String key, List<String> command, String device, Addressing addressing, Deadline deadline) {
        List<String> expanded = EniSettings.expand(command, addressing.values(device));
        HostCommands.Result result = host.run(expanded, deadline);
        if (!result.succeeded()) {
            throw new KawariException(AwsErrorCodes.LOCAL_COMMAND_FAILED, true, key + " failed: " + result.describe());
        }
    }

    private static KawariException failed(String what, HostCommands.Result result) {
        return new KawariException(AwsErrorCodes.LOCAL_ADDRESS_FAILED, true, "could not " + what + ": "
                + result.describe());
    }
}
