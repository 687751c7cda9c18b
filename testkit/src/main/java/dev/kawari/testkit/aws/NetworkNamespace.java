package dev.kawari.testkit.aws;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.opentest4j.TestAbortedException;

/**
 * A Linux network namespace made for one test, standing in for a node's operating system: a veth
 * pair joins it to the host, the host end carrying {@code 198.18.N.1/30} and the namespace end
 * ({@link #device()}) {@code 198.18.N.2/30} (198.18.0.0/15 is reserved for benchmarking networks), so
 * a process inside reaches servers the test binds to {@link #hostAddress()}. Virtual IPs tests add
 * inside come from 198.51.100.0/24.
 *
 * <p>Needs root and {@code ip netns}; where those are missing, {@link #create()} skips the test with
 * that reason (and fails it under CI, {@code CI=true}). {@link #close()} deletes the namespace and
 * the veth pair.
 */
public final class NetworkNamespace implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger(ThreadLocalRandom.current().nextInt(1, 250));

    private final String name;
    private final String hostDevice;
    private final String device;
    private final int subnet;

    private NetworkNamespace(String name, String hostDevice, String device, int subnet) {
        this.name = name;
        this.hostDevice = hostDevice;
        this.device = device;
        this.subnet = subnet;
    }

    /** Creates a namespace with its veth pair, both ends up. */
    public static NetworkNamespace create() {
        int n = COUNTER.getAndIncrement() % 250 + 1;
        String suffix = ProcessHandle.current().pid() % 10000 + "x" + n;
        String name = "kawari-" + suffix;
        String hostDevice = "kwh" + suffix;
        String device = "kwn" + suffix;
        NetworkNamespace namespace = new NetworkNamespace(name, hostDevice, device, n);
        String subnet = "198.18." + n + ".";
        try {
            run(List.of("ip", "netns", "add", name));
        } catch (IllegalStateException e) {
            String reason = "cannot create a network namespace (tests of local addresses need root and ip netns): "
                    + e.getMessage();
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(reason, e);
            }
            throw new TestAbortedException(reason, e);
        }
        try {
            run(List.of("ip", "link", "add", hostDevice, "type", "veth", "peer", "name", device));
            run(List.of("ip", "link", "set", device, "netns", name));
            run(List.of("ip", "addr", "add", subnet + "1/30", "dev", hostDevice));
            run(List.of("ip", "link", "set", hostDevice, "up"));
            run(List.of("ip", "-n", name, "addr", "add", subnet + "2/30", "dev", device));
            run(List.of("ip", "-n", name, "link", "set", device, "up"));
            run(List.of("ip", "-n", name, "link", "set", "lo", "up"));
        } catch (RuntimeException e) {
            namespace.close();
            throw e;
        }
        return namespace;
    }

    /** The namespace's name, for {@code ip netns exec NAME}. */
    public String name() {
        return name;
    }

    /** The interface inside the namespace, the node's "eth0". */
    public String device() {
        return device;
    }

    /** The host end's address, where the test binds servers that the namespace must reach. */
    public InetAddress hostAddress() {
        return address("198.18." + subnet + ".1");
    }

    /** The namespace end's address. */
    public InetAddress namespaceAddress() {
        return address("198.18." + subnet + ".2");
    }

    /** {@code [ip, netns, exec, NAME, ip]}: the {@code ip} command as run inside the namespace. */
    public List<String> ipCommand() {
        return List.of("ip", "netns", "exec", name, "ip");
    }

    /** {@code [ip, netns, exec, NAME]} followed by {@code command}. */
    public List<String> inside(List<String> command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(command);
        return full;
    }

    /** The IPv4 addresses (with prefix length) on {@link #device()}. */
    public List<String> addresses() {
        String output = run(List.of("ip", "-n", name, "-o", "-4", "addr", "show", "dev", device));
        List<String> found = new ArrayList<>();
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("\\binet (\\S+)").matcher(output);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }

    /** Gives {@link #device()} the MAC address {@code mac} (an instance's ENI's, as IMDS reports it). */
    public void setMacAddress(String mac) {
        run(List.of("ip", "-n", name, "link", "set", "dev", device, "address", mac));
    }

    /**
     * Adds a link named {@code name} with the MAC address {@code mac} inside the namespace, down and
     * without addresses, as a network interface hot-plugged into the node appears (the end of a veth
     * pair whose other end stays inside too; the {@code dummy} type is not available everywhere).
     * Deleted with the namespace.
     */
    public void addLink(String name, String mac) {
        run(List.of("ip", "-n", this.name, "link", "add", name, "type", "veth", "peer", "name", name + "p"));
        run(List.of("ip", "-n", this.name, "link", "set", "dev", name, "address", mac));
        run(List.of("ip", "-n", this.name, "link", "set", "dev", name + "p", "up"));
    }

    /** Deletes the link {@code name} made by {@link #addLink} (as a detached interface disappears). */
    public void deleteLink(String name) {
        run(List.of("ip", "-n", this.name, "link", "del", name));
    }

    /** The IPv4 addresses (with prefix length) on link {@code name} of the namespace. */
    public List<String> addresses(String name) {
        String output = run(List.of("ip", "-n", this.name, "-o", "-4", "addr", "show", "dev", name));
        List<String> found = new ArrayList<>();
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("\\binet (\\S+)").matcher(output);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }

    /** Whether link {@code name} of the namespace is administratively up. */
    public boolean isUp(String name) {
        String output = run(List.of("ip", "-n", this.name, "-o", "link", "show", "dev", name));
        java.util.regex.Matcher flags = java.util.regex.Pattern.compile("<([^>]*)>").matcher(output);
        return flags.find() && List.of(flags.group(1).split(",")).contains("UP");
    }

    /** What {@code ip [-4] ARGUMENTS} prints inside the namespace ({@code rule show}, {@code route show table 10001}). */
    public String ip(String... arguments) {
        List<String> command = new ArrayList<>(List.of("ip", "-n", this.name));
        command.addAll(List.of(arguments));
        return run(command);
    }

    /** Adds {@code cidr} to {@link #device()} (to set up a test's starting state). */
    public void addAddress(String cidr) {
        run(List.of("ip", "-n", name, "addr", "add", cidr, "dev", device));
    }

    private static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs a command; returns its output; throws with its output when it fails. */
    static String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in 30 s");
            }
            String text = new String(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + process.exitValue() + ": "
                        + text.strip());
            }
            return text;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
        }
    }

    /** Deletes the veth pair and the namespace; safe to call twice. */
    @Override
    public void close() {
        tryRun(List.of("ip", "link", "del", hostDevice));
        tryRun(List.of("ip", "netns", "del", name));
    }

    private static void tryRun(List<String> command) {
        try {
            run(command);
        } catch (IllegalStateException e) {
            // already gone
        }
    }

    @Override
    public String toString() {
        return "NetworkNamespace[" + name + ", " + device + "]";
    }
}
