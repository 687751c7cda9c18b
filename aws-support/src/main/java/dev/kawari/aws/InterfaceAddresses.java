package dev.kawari.aws;

import dev.kawari.spi.Deadline;
import dev.kawari.spi.KawariException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * IPv4 addresses on this host's network interfaces, changed with {@code ip} run as an argument
 * vector (never through a shell). Adding and deleting are idempotent (an address already there, or
 * already gone, is success) and verified by listing the interface again afterwards.
 *
 * <p>The command is {@code ip} by default; tests give a prefix such as {@code [ip, netns, exec, NS,
 * ip]} to act inside a network namespace.
 */
public final class InterfaceAddresses {
    private static final Pattern INET = Pattern.compile("\\binet (\\d+\\.\\d+\\.\\d+\\.\\d+/\\d+)");
    private static final Pattern FLAGS = Pattern.compile("^\\d+: [^:]+: <([^>]*)>");
    private static final Pattern LINK = Pattern.compile("^\\d+: ([^:@\\s]+)(@\\S+)?:.*\\blink/ether ([0-9a-f:]{17})\\b");

    private final List<String> ip;

    /** Runs {@code ip} from the PATH. */
    public static InterfaceAddresses system() {
        return new InterfaceAddresses(List.of("ip"));
    }

    /** @param ip the command that stands for {@code ip}, as an argument vector; copied */
    public InterfaceAddresses(List<String> ip) {
        if (ip.isEmpty()) {
            throw new IllegalArgumentException("the ip command must not be empty");
        }
        this.ip = List.copyOf(ip);
    }

    /** The command that stands for {@code ip}. */
    public List<String> command() {
        return ip;
    }

    /** Whether {@code address}/32 is on {@code device}. */
    public boolean has(String device, Ipv4Address address, Deadline deadline) {
        return addresses(device, deadline).contains(address.hostCidr());
    }

    /** The IPv4 addresses (with prefix length) on {@code device}. */
    public List<String> addresses(String device, Deadline deadline) {
        HostCommands.Result listed = run(deadline, "-o", "-4", "addr", "show", "dev", device);
        if (listed.exitCode() != 0) {
            throw failed("list the addresses of " + device, listed);
        }
        List<String> found = new ArrayList<>();
        Matcher matcher = INET.matcher(listed.stdout());
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }

    /** Adds {@code address}/32 to {@code device} unless it is there; verifies that it is there afterwards. */
    public void add(String device, Ipv4Address address, Deadline deadline) {
        if (has(device, address, deadline)) {
            return;
        }
        HostCommands.Result added = run(deadline, "-4", "addr", "add", address.hostCidr(), "dev", device);
        if (added.exitCode() != 0 && !alreadyThere(added.stderr())) {
            throw failed("add " + address.hostCidr() + " to " + device, added);
        }
        if (!has(device, address, deadline)) {
            throw new KawariException(AwsErrorCodes.LOCAL_ADDRESS_FAILED, true,
                    "added " + address.hostCidr() + " to " + device + " but it is not listed there afterwards");
        }
    }

    /** Deletes {@code address}/32 from {@code device} if it is there; verifies that it is gone afterwards. */
    public void delete(String device, Ipv4Address address, Deadline deadline) {
        if (!has(device, address, deadline)) {
            return;
        }
        HostCommands.Result deleted = run(deadline, "-4", "addr", "del", address.hostCidr(), "dev", device);
        if (deleted.exitCode() != 0 && !alreadyGone(deleted.stderr())) {
            throw failed("delete " + address.hostCidr() + " from " + device, deleted);
        }
        if (has(device, address, deadline)) {
            throw new KawariException(AwsErrorCodes.LOCAL_ADDRESS_FAILED, true,
                    "deleted " + address.hostCidr() + " from " + device + " but it is still listed there");
        }
    }

    /** Whether {@code address} is on {@code device} with any prefix length ({@code 10.0.1.9/24} or {@code /32}). */
    public boolean carries(String device, Ipv4Address address, Deadline deadline) {
        return prefixOf(device, address, deadline).isPresent();
    }

    private Optional<String> prefixOf(String device, Ipv4Address address, Deadline deadline) {
        String wanted = address + "/";
        return addresses(device, deadline).stream().filter(cidr -> cidr.startsWith(wanted)).findFirst();
    }

    /**
     * Adds {@code address/prefixLength} to {@code device} unless the address is there (with any
     * prefix length); verifies that it is there afterwards.
     */
    public void add(String device, Ipv4Address address, int prefixLength, Deadline deadline) {
        if (carries(device, address, deadline)) {
            return;
        }
        String cidr = address + "/" + prefixLength;
        HostCommands.Result added = run(deadline, "-4", "addr", "add", cidr, "dev", device);
        if (added.exitCode() != 0 && !alreadyThere(added.stderr())) {
            throw failed("add " + cidr + " to " + device, added);
        }
        if (!carries(device, address, deadline)) {
            throw new KawariException(AwsErrorCodes.LOCAL_ADDRESS_FAILED, true,
                    "added " + cidr + " to " + device + " but it is not listed there afterwards");
        }
    }

    /** Deletes {@code address} from {@code device} whatever its prefix length, if it is there; verifies it is gone. */
    public void deleteAnyPrefix(String device, Ipv4Address address, Deadline deadline) {
        Optional<String> cidr = prefixOf(device, address, deadline);
        if (cidr.isEmpty()) {
            return;
        }
        HostCommands.Result deleted = run(deadline, "-4", "addr", "del", cidr.get(), "dev", device);
        if (deleted.exitCode() != 0 && !alreadyGone(deleted.stderr())) {
            throw failed("delete " + cidr.get() + " from " + device, deleted);
        }
        if (carries(device, address, deadline)) {
            throw new KawariException(AwsErrorCodes.LOCAL_ADDRESS_FAILED, true,
                    "deleted " + cidr.get() + " from " + device + " but it is still listed there");
        }
    }

    /** Whether {@code device} exists and is administratively up (the {@code UP} flag). */
    public boolean isUp(String device, Deadline deadline) {
        HostCommands.Result link = run(deadline, "-o", "link", "show", "dev", device);
        if (link.exitCode() != 0) {
            throw failed("show the link " + device, link);
        }
        Matcher flags = FLAGS.matcher(link.stdout());
        return flags.find() && List.of(flags.group(1).split(",")).contains("UP");
    }

    /** Sets {@code device} up or down unless it already is; verifies it afterwards. */
    public void setUp(String device, boolean up, Deadline deadline) {
        if (isUp(device, deadline) == up) {
            return;
        }
        HostCommands.Result set = run(deadline, "link", "set", "dev", device, up ? "up" : "down");
        if (set.exitCode() != 0) {
            throw failed("set " + device + (up ? " up" : " down"), set);
        }
        if (isUp(device, deadline) != up) {
            throw new KawariException(AwsErrorCodes.LOCAL_ADDRESS_FAILED, true,
                    "set " + device + (up ? " up" : " down") + " but it is not afterwards");
        }
    }

    /** The interface whose hardware address is {@code mac}, if any. */
    public Optional<String> deviceWithMac(String mac, Deadline deadline) {
        HostCommands.Result links = run(deadline, "-o", "link", "show");
        if (links.exitCode() != 0) {
            throw failed("list the network interfaces", links);
        }
        String wanted = mac.toLowerCase(Locale.ROOT);
        for (String line : links.stdout().split("\n")) {
            Matcher matcher = LINK.matcher(line);
            if (matcher.find() && matcher.group(3).equals(wanted)) {
                return Optional.of(matcher.group(1));
            }
        }
        return Optional.empty();
    }

    private static boolean alreadyThere(String stderr) {
        return stderr.contains("File exists") || stderr.contains("already assigned");
    }

    private static boolean alreadyGone(String stderr) {
        return stderr.contains("Cannot assign requested address");
    }

    /**
     * Runs {@code ip} with {@code arguments} (an argument vector, as {@code "-4", "rule", "show"}),
     * for the {@code ip} work of a kit that this class has no method for.
     *
     * @throws KawariException a timeout, an interrupt, or {@link AwsErrorCodes#LOCAL_ADDRESS_FAILED}
     *     when {@code ip} cannot be started; a non-zero exit is returned, not thrown
     */
    public HostCommands.Result ip(Deadline deadline, String... arguments) {
        List<String> command = new ArrayList<>(ip);
        command.addAll(List.of(arguments));
        try {
            return HostCommands.system().run(command, deadline);
        } catch (KawariException e) {
            if (e.code().equals(AwsErrorCodes.LOCAL_COMMAND_FAILED)) {
                throw new KawariException(AwsErrorCodes.LOCAL_ADDRESS_FAILED, false, e.getMessage(), e);
            }
            throw e;
        }
    }

    private HostCommands.Result run(Deadline deadline, String... arguments) {
        return ip(deadline, arguments);
    }

    private static KawariException failed(String what, HostCommands.Result result) {
        return new KawariException(AwsErrorCodes.LOCAL_ADDRESS_FAILED, true, "could not " + what + ": "
                + result.describe());
    }

    @Override
    public String toString() {
        return "InterfaceAddresses" + ip;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof InterfaceAddresses that && that.ip.equals(ip);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ip);
    }
}
