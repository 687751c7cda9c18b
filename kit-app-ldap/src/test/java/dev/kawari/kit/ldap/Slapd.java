package dev.kawari.kit.ldap;

import static org.assertj.core.api.Assertions.fail;

import dev.kawari.testkit.SilentServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real OpenLDAP {@code slapd} for integration tests: a generated {@code slapd.conf} (mdb backend)
 * in a directory of the test's, the suffix entry and a monitor account loaded with {@code slapadd},
 * and a free loopback port. The fixture does not start slapd itself: {@link #startCommand()} and
 * {@link #stopCommand()} are what an {@code ldap-server} resource runs.
 */
final class Slapd implements AutoCloseable {
    static final String INSTALL_HINT = "install OpenLDAP with: DEBIAN_FRONTEND=noninteractive apt-get install -y"
            + " slapd ldap-utils (.ci/run does this)";
    static final String DEFAULT_SUFFIX = "dc=example,dc=com";

    private final Path directory;
    private final Path executable;
    private final String suffix;
    private final String monitorDn;
    private final String monitorPassword = "slapd-" + UUID.randomUUID();
    private final int port;

    /** A server for {@link #DEFAULT_SUFFIX} with monitor account {@code cn=monitor,<suffix>}. */
    Slapd(Path directory) throws IOException, InterruptedException {
        this(directory, DEFAULT_SUFFIX, "cn=monitor," + DEFAULT_SUFFIX);
    }

    /**
     * Writes the configuration and loads the entries.
     *
     * @param suffix a DN whose first RDN is {@code dc=…}
     * @param monitorDn an entry directly below {@code suffix}, {@code cn=…}
     */
    Slapd(Path directory, String suffix, String monitorDn) throws IOException, InterruptedException {
        this.directory = directory;
        this.executable = requireInstalled();
        this.suffix = suffix;
        this.monitorDn = monitorDn;
        this.port = SilentServer.closedPort();
        Files.createDirectories(directory.resolve("data"));
        Files.writeString(configFile(), configuration(), StandardCharsets.UTF_8);
        Path ldif = directory.resolve("entries.ldif");
        Files.writeString(ldif, entries(), StandardCharsets.UTF_8);
        run(List.of(sibling("slapadd").toString(), "-q", "-f", configFile().toString(), "-l", ldif.toString()));
    }

    /**
     * The slapd program. In CI ({@code CI=true}) a missing slapd fails the test with how to install it;
     * elsewhere the test is skipped with that reason.
     */
    static Path requireInstalled() {
        Optional<Path> found = find("slapd");
        if (found.isEmpty() || find("start-stop-daemon").isEmpty()) {
            String message = "OpenLDAP slapd (and start-stop-daemon) not found on PATH or in /usr/sbin: "
                    + INSTALL_HINT;
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(message);
            }
            Assumptions.abort(message);
        }
        return found.get();
    }

    private static Optional<Path> find(String program) {
        List<String> directories = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        directories.addAll(List.of("/usr/sbin", "/sbin", "/usr/local/sbin"));
        return directories.stream().filter(dir -> !dir.isBlank()).map(dir -> Path.of(dir, program))
                .filter(Files::isExecutable).findFirst();
    }

    private Path sibling(String program) {
        Path next = executable.resolveSibling(program);
        return Files.isExecutable(next) ? next : find(program).orElseThrow(() -> new IllegalStateException(
                program + " not found next to " + executable + ": " + INSTALL_HINT));
    }

    Path configFile() {
        return directory.resolve("slapd.conf");
    }

    Path pidFile() {
        return directory.resolve("slapd.pid");
    }

    private String configuration() {
        String schema = "/etc/ldap/schema/";
        return String.join("\n",
                "include " + schema + "core.schema",
                "include " + schema + "cosine.schema",
                "include " + schema + "inetorgperson.schema",
                "pidfile " + pidFile(),
                "argsfile " + directory.resolve("slapd.args"),
                "modulepath /usr/lib/ldap",
                "moduleload back_mdb",
                "database mdb",
                "maxsize 10485760",
                "suffix \"" + suffix + "\"",
                "rootdn \"cn=admin," + suffix + "\"",
                "rootpw " + UUID.randomUUID(),
                "directory " + directory.resolve("data"),
                "");
    }

    private String entries() {
        String dc = suffix.substring(suffix.indexOf('=') + 1, suffix.indexOf(','));
        String cn = monitorDn.substring(monitorDn.indexOf('=') + 1, monitorDn.indexOf(','));
        return String.join("\n",
                "dn: " + suffix, "objectClass: top", "objectClass: domain", "dc: " + dc, "",
                "dn: " + monitorDn, "objectClass: organizationalRole", "objectClass: simpleSecurityObject",
                "cn: " + cn, "userPassword: " + monitorPassword, "");
    }

    String url() {
        return "ldap://127.0.0.1:" + port;
    }

    String suffix() {
        return suffix;
    }

    String monitorDn() {
        return monitorDn;
    }

    /** The monitor account's password, made up for this server. */
    String monitorPassword() {
        return monitorPassword;
    }

    /** Starts slapd in the background (it forks and the command exits), listening on {@link #url()} only. */
    List<String> startCommand() {
        return List.of(executable.toString(), "-h", url() + "/", "-f", configFile().toString());
    }

    /** Stops the slapd of the pid file, if it runs; exits 0 when it does not. */
    List<String> stopCommand() {
        return List.of(sibling("start-stop-daemon").toString(), "--stop", "--quiet", "--oknodo", "--pidfile",
                pidFile().toString(), "--exec", executable.toString(), "--retry", "TERM/10/KILL/5");
    }

    /** The process id in the pid file, if slapd wrote one and the process still runs. */
    Optional<ProcessHandle> process() throws IOException {
        if (!Files.exists(pidFile())) {
            return Optional.empty();
        }
        long pid = Long.parseLong(Files.readString(pidFile()).trim());
        return ProcessHandle.of(pid).filter(Slapd::running);
    }

    /** SIGKILL ({@code kill -9}) to the running slapd. */
    long kill9() throws IOException, InterruptedException {
        ProcessHandle process = process().orElseThrow(() -> new AssertionError("slapd is not running"));
        process.destroyForcibly(); // SIGKILL, as kill -9
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (running(process) && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        return process.pid();
    }

    /** Alive and not a zombie (a killed daemon stays one until its new parent reaps it). */
    private static boolean running(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            int end = stat.lastIndexOf(") ");
            return !(end >= 0 && stat.length() > end + 2 && stat.charAt(end + 2) == 'Z');
        } catch (IOException e) {
            return false;
        }
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }

    /** Stops slapd if it still runs, so that no test leaves one behind. */
    @Override
    public void close() throws IOException {
        if (process().isPresent()) {
            try {
                run(stopCommand());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while stopping " + this, e);
            }
        }
    }

    @Override
    public String toString() {
        return "Slapd[" + url() + ", " + directory + "]";
    }
}
