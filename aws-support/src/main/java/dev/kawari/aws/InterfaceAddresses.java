package dev.kawari.aws;

import dev.kawari.spi.Deadline;
import dev.kawari.spi.KawariException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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
    private static final Pattern LINK = Pattern.compile("^\\d+: ([^:@\\s]+)(@\\S+)?:.*\\blink/ether ([0-9a-f:]{17})\\b");
    private static final int OUTPUT_LIMIT = 64 * 1024;

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
        Result listed = run(deadline, "-o", "-4", "addr", "show", "dev", device);
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
        Result added = run(deadline, "-4", "addr", "add", address.hostCidr(), "dev", device);
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
        Result deleted = run(deadline, "-4", "addr", "del", address.hostCidr(), "dev", device);
        if (deleted.exitCode() != 0 && !alreadyGone(deleted.stderr())) {
            throw failed("delete " + address.hostCidr() + " from " + device, deleted);
        }
        if (has(device, address, deadline)) {
            throw new KawariException(AwsErrorCodes.LOCAL_ADDRESS_FAILED, true,
                    "deleted " + address.hostCidr() + " from " + device + " but it is still listed there");
        }
    }

    /** The interface whose hardware address is {@code mac}, if any. */
    public Optional<String> deviceWithMac(String mac, Deadline deadline) {
        Result links = run(deadline, "-o", "link", "show");
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

    /** What one run of the command gave. */
    private record Result(List<String> command, int exitCode, String stdout, String stderr) {
    }

    private Result run(Deadline deadline, String... arguments) {
        List<String> command = new ArrayList<>(ip);
        command.addAll(List.of(arguments));
        deadline.check("running " + String.join(" ", command));
        Path out = null;
        Path err = null;
        Process process = null;
        try {
            out = Files.createTempFile("kawari-ip", ".out");
            err = Files.createTempFile("kawari-ip", ".err");
            process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!process.waitFor(Math.max(1, deadline.remaining().toNanos()), TimeUnit.NANOSECONDS)) {
                process.destroyForcibly();
                throw KawariException.timedOut("the deadline of " + deadline.budget() + " passed while running "
                        + String.join(" ", command));
            }
            return new Result(command, process.exitValue(), read(out), read(err));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            throw KawariException.interrupted("interrupted while running " + String.join(" ", command), e);
        } catch (IOException e) {
            throw new KawariException(AwsErrorCodes.LOCAL_ADDRESS_FAILED, false,
                    "cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } finally {
            delete(out);
            delete(err);
        }
    }

    private static String read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int length = Math.min(bytes.length, OUTPUT_LIMIT);
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    private static void delete(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // A leftover temporary file of a few bytes is not worth failing the action for.
            }
        }
    }

    private static KawariException failed(String what, Result result) {
        String stderr = result.stderr().strip();
        return new KawariException(AwsErrorCodes.LOCAL_ADDRESS_FAILED, true, "could not " + what + ": "
                + String.join(" ", result.command()) + " exited " + result.exitCode()
                + (stderr.isEmpty() ? "" : ": " + stderr));
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
