package dev.kawari.kit.route53;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.opentest4j.TestAbortedException;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A real DNS server for tests: Debian's {@code dnsmasq} on a free port of 127.0.0.1 (UDP and TCP), in
 * the foreground, with no upstream server, authoritative for one zone ({@code --local}: a name it does
 * not know there is NXDOMAIN), answering what {@link #answer} last wrote to its hosts file (re-read on
 * SIGHUP). Its output is kept in a log file that failure messages name.
 */
final class Dnsmasq implements AutoCloseable {
    /** How to install it; printed when it is missing in CI. */
    static final String INSTALL_HINT = "install it with: apt-get install -y dnsmasq-base";
    private static final Duration STARTUP = Duration.ofSeconds(10);

    private final Process process;
    private final int port;
    private final Path hosts;
    private final Path log;

    private Dnsmasq(Process process, int port, Path hosts, Path log) {
        this.process = process;
        this.port = port;
        this.hosts = hosts;
        this.log = log;
    }

    static Optional<Path> executable() {
        List<Path> candidates = new ArrayList<>(List.of(Path.of("/usr/sbin/dnsmasq")));
        String path = System.getenv("PATH");
        if (path != null) {
            for (String directory : path.split(java.io.File.pathSeparator)) {
                if (!directory.isEmpty()) {
                    candidates.add(Path.of(directory, "dnsmasq"));
                }
            }
        }
        return candidates.stream().filter(file -> Files.isRegularFile(file) && Files.isExecutable(file)).findFirst();
    }

    /**
     * Starts dnsmasq serving {@code zone} (such as {@code corp.example.}), files in {@code directory}.
     * Without dnsmasq, fails under CI ({@code CI=true}) and skips the test elsewhere, saying how to install it.
     */
    static Dnsmasq start(Path directory, String zone) throws IOException, InterruptedException {
        Optional<Path> found = executable();
        if (found.isEmpty()) {
            String reason = "dnsmasq is not installed, and the DNS-query check is tested against it; " + INSTALL_HINT;
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(reason);
            }
            throw new TestAbortedException(reason);
        }
        Path executable = found.get();
        String domain = zone.endsWith(".") ? zone.substring(0, zone.length() - 1) : zone;
        Path hosts = directory.resolve("hosts");
        Files.writeString(hosts, "");
        IOException last = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            int port = freePort();
            Path log = directory.resolve("dnsmasq-" + port + ".log");
            Process process = new ProcessBuilder(List.of(executable.toString(), "--keep-in-foreground",
                    "--conf-file=/dev/null", "--no-resolv", "--no-hosts", "--listen-address=127.0.0.1",
                    "--bind-interfaces", "--port=" + port, "--addn-hosts=" + hosts, "--local=/" + domain + "/",
                    "--local-ttl=1", "--pid-file=", "--user=root", "--log-facility=-", "--log-queries"))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            Dnsmasq server = new Dnsmasq(process, port, hosts, log);
            if (server.awaitAnswering(domain)) {
                return server;
            }
            server.close();
            last = new IOException("dnsmasq did not answer on 127.0.0.1:" + port + " within " + STARTUP + "; its output:\n"
                    + Files.readString(log));
        }
        throw last;
    }

    private boolean awaitAnswering(String domain) throws InterruptedException {
        long until = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() - until < 0) {
            if (!process.isAlive()) {
                return false;
            }
            try {
                SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                resolver.setTimeout(Duration.ofMillis(300));
                resolver.send(Message.newQuery(Record.newRecord(Name.fromString("probe." + domain + "."), Type.A,
                        DClass.IN)));
                return true;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        return false;
    }

    private static int freePort() throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket tcp = new ServerSocket()) {
                tcp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                int port = tcp.getLocalPort();
                try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
                    return port;
                } catch (IOException taken) {
                    // the UDP port is in use: try another
                }
            }
        }
        throw new IOException("no port of 127.0.0.1 is free for both TCP and UDP");
    }

    /** {@code 127.0.0.1:PORT}, as the kit's {@code resolvers} key takes it. */
    String address() {
        return "127.0.0.1:" + port;
    }

    /** From now on, answers {@code name} with {@code addresses} (none: NXDOMAIN), and nothing else. */
    void answer(String name, String... addresses) throws IOException, InterruptedException {
        String host = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        StringBuilder lines = new StringBuilder();
        for (String address : addresses) {
            lines.append(address).append(' ').append(host).append('\n');
        }
        long readsBefore = reads();
        Files.writeString(hosts, lines.toString());
        Process hangUp = new ProcessBuilder("kill", "-HUP", String.valueOf(process.pid())).redirectErrorStream(true)
                .start();
        if (!hangUp.waitFor(10, TimeUnit.SECONDS) || hangUp.exitValue() != 0) {
            throw new IOException("kill -HUP " + process.pid() + " failed: " + new String(hangUp.getInputStream()
                    .readAllBytes()));
        }
        // dnsmasq re-reads the file when it handles the signal, and says so: wait for that line.
        long until = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() - until < 0) {
            if (reads() > readsBefore) {
                return;
            }
            Thread.sleep(20);
        }
        throw new IOException("dnsmasq did not re-read " + hosts + "; its output:\n" + Files.readString(log));
    }

    /** How many times dnsmasq has said it read the hosts file. */
    private long reads() throws IOException {
        return Files.readString(log).lines().filter(line -> line.contains("read " + hosts)).count();
    }

    /** Stops the server (a stopped server does not answer: queries to its port are refused). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
